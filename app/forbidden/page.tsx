import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl p-10 text-center">
      <h1 className="text-2xl font-semibold">无权访问 · Not permitted</h1>
      <p className="mt-2 text-slate-600">您的角色不能使用此功能。 · Your role may not use this page.</p>
      <Link href="/" className="mt-4 inline-block text-accent underline">
        返回总览 · Back to the overview
      </Link>
    </main>
  );
}
