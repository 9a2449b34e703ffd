// The model page's answer when the fit line has no room, in both languages: it names the user's places in line or the
// place a new request would have had, never just "full".
import { expect, test } from 'vitest';
import { translator } from '@/lib/i18n/messages';
import { describeQueueRefusal } from '@/lib/models/queue-messages';

test('a user with two fits waiting is told their places', () => {
  const refusal = { reason: 'owner_limit' as const, limit: 2, ownPositions: [1, 3] };
  expect(describeQueueRefusal(refusal, translator('en'), 'en')).toBe('You already have 2 models waiting (places 1, 3 in line). Wait for one to start, or cancel one, before adding another.');
  expect(describeQueueRefusal(refusal, translator('zh'), 'zh')).toBe('您已有 2 个模型在排队（排在第 1、3 位）。请等其中一个开始运行或取消一个后再提交。');
});

test('a full line tells a new user where their request would have stood, and a waiting user where theirs stand', () => {
  const stranger = { reason: 'queue_full' as const, waiting: 8, running: 2, ownPositions: [], wouldBePosition: 5 };
  expect(describeQueueRefusal(stranger, translator('en'), 'en')).toBe('The model queue is full: 8 waiting, 2 running. A new request of yours would be at place 5. Try again when one has finished.');
  expect(describeQueueRefusal(stranger, translator('zh'), 'zh')).toContain('您现在提交将排在第 5 位');
  const waiter = { ...stranger, ownPositions: [2, 6] };
  expect(describeQueueRefusal(waiter, translator('en'), 'en')).toContain('Your models are at places 2, 6 in line.');
  expect(describeQueueRefusal(waiter, translator('zh'), 'zh')).toContain('您的模型排在第 2、6 位');
});
