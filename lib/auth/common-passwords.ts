// Common passwords refused by the password policy: the most frequent entries of public breach lists (SecLists'
// top passwords, and pinyin / numeric passwords common in China), lower-cased. A candidate is refused when it is one
// of these, or one of these with digits or punctuation appended.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '!qaz2wsx', '000000', '0123456789', '1111', '111111', '11111111', '112233', '11223344', '121212', '123123',
  '123321', '1234', '12345', '123451234', '1234512345', '123456', '1234567', '12345678', '123456789', '1234567890',
  '12345678910', '123456789a', '123456a', '1234qwer', '123654', '123abc', '123qwe', '131313', '1314520', '147258',
  '147258369', '159357', '159753', '168168', '1q2w3e', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', '1qazxsw2', '2000',
  '3edc4rfv', '5201314', '520520', '555555', '654321', '666666', '666888', '777777', '7777777', '888888', '8888888',
  '88888888', '987654321', '9876543210', 'a123456', 'aa123456', 'aaaaaa', 'aabbccdd', 'abc123', 'abc123456',
  'abcd1234', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghi', 'abcdefghij', 'abcdefghijk', 'abcdefghijkl', 'access',
  'admin', 'admin-demo', 'admin123', 'administrator', 'amanda', 'analyst-demo', 'andrew', 'asd123', 'asdfgh',
  'asdfghjkl', 'ashley', 'austin', 'baseball', 'baseball1', 'batman', 'beijing', 'biteme', 'buster', 'changeme',
  'charlie', 'cheese', 'chelsea', 'china', 'computer', 'dallas', 'daniel', 'dashboard', 'default', 'demo', 'demo123',
  'dragon', 'dragon123', 'football', 'football1', 'freedom', 'george', 'ginger', 'guangzhou', 'guest', 'harley',
  'health', 'hello', 'hello123', 'hockey', 'hunter', 'iloveu', 'iloveyou', 'iloveyou1', 'jennifer', 'jessica',
  'jiankang', 'jordan', 'joshua', 'killer', 'klaster', 'letmein', 'letmein1', 'li123456', 'login', 'love', 'maggie',
  'master', 'matrix', 'matthew', 'michael', 'michelle', 'minecraft', 'monkey', 'monkey123', 'mustang', 'mypass',
  'mypassword', 'nicole', 'nothing', 'p@ssw0rd', 'p@ssword', 'pass', 'passpass', 'passw0rd', 'password', 'password1',
  'password12', 'password123', 'password1234', 'pepper', 'princess', 'princess1', 'qazwsx', 'qazwsxedc', 'qq123456',
  'qwe123', 'qwer1234', 'qwerty', 'qwerty123', 'qwertyui', 'qwertyuiop', 'ranger', 'robert', 'root', 'secret',
  'secret123', 'shadow', 'shanghai', 'shenzhen', 'soccer', 'starwars', 'summer', 'sunshine', 'sunshine1', 'superman',
  'taylor', 'test', 'test123', 'testing', 'thomas', 'thunder', 'tigger', 'toor', 'trustno1', 'user', 'user123',
  'viewer-demo', 'wang123', 'weishengjian', 'welcome', 'welcome1', 'whatever', 'woaini', 'woaini1314', 'yankees',
  'zaq12wsx', 'zhang123', 'zxc123', 'zxcvbn', 'zxcvbnm',
]);
