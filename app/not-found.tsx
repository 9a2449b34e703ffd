import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-10 text-center">
      <h1 className="text-2xl font-semibold">页面不存在 · Page not found</h1>
      <Link href="/" className="mt-4 inline-block text-red-800 underline">
        返回总览 · Back to the overview
      </Link>
    </main>
  );
}
