// Sign-out is a plain form post to /api/sign-out, so it works before and without client JavaScript.
export function SignOutButton({ label }: { label: string }) {
  return (
    <form method="post" action="/api/sign-out">
      <button type="submit" data-testid="sign-out" className="whitespace-nowrap rounded border border-slate-500 px-3 py-1 text-sm hover:bg-slate-700">
        {label}
      </button>
    </form>
  );
}
