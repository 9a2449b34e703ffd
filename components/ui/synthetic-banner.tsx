// The notice shown on every page while the active dataset is synthetic.
export function SyntheticBanner({ text }: { text: string }) {
  return (
    <div role="note" data-testid="synthetic-banner" className="border-b border-amber-300 bg-amber-50 px-6 py-2 text-sm text-amber-900">
      <span aria-hidden className="mr-2 font-semibold">⚠</span>
      {text}
    </div>
  );
}
