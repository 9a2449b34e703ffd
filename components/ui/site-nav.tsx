'use client';
// The header's navigation. Desktop (≥ 1024 px): the pages in one row, with the data and admin pages behind one
// disclosure button so the row fits at 1440 px in English. Phone and tablet: a "Menu" button (aria-expanded) that
// opens every page as a list, with the language switch and the account below it (passed in as children).
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

export interface NavLink {
  href: string;
  label: string;
  /** admin and data pages sit behind the desktop "Data & admin" button */
  tools?: boolean;
}

const isCurrent = (pathname: string, href: string) => (href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`));

export function SiteNav({ links, labels, children }: { links: NavLink[]; labels: { menu: string; main: string; tools: string }; children: React.ReactNode }) {
  const pathname = usePathname() ?? '/';
  const [open, setOpen] = useState(false);
  const [toolsOpen, setToolsOpen] = useState(false);
  const toolsRef = useRef<HTMLDivElement>(null);
  // A page change closes the menus.
  useEffect(() => {
    setOpen(false);
    setToolsOpen(false);
  }, [pathname]);
  // Escape or a click elsewhere closes the desktop tools menu.
  useEffect(() => {
    if (!toolsOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setToolsOpen(false);
    const onClick = (event: MouseEvent) => toolsRef.current && !toolsRef.current.contains(event.target as Node) && setToolsOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [toolsOpen]);
  const main = links.filter((l) => !l.tools);
  const tools = links.filter((l) => l.tools);
  const item = (link: NavLink, extra = '') => (
    <Link
      key={link.href}
      href={link.href}
      aria-current={isCurrent(pathname, link.href) ? 'page' : undefined}
      className={`whitespace-nowrap rounded px-2 py-2 text-sm hover:bg-slate-700 aria-[current=page]:bg-slate-700 aria-[current=page]:font-medium ${extra}`}
    >
      {link.label}
    </Link>
  );
  return (
    <>
      <button
        type="button"
        data-testid="nav-menu-button"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen((v) => !v)}
        className="ml-auto inline-flex items-center gap-2 rounded border border-slate-500 px-3 py-1.5 text-sm xl:hidden"
      >
        <span aria-hidden="true">{open ? '✕' : '☰'}</span>
        {labels.menu}
      </button>
      <div id="site-menu" className={`${open ? 'flex' : 'hidden'} w-full flex-col gap-3 pb-2 xl:flex xl:w-auto xl:flex-1 xl:flex-row xl:items-center xl:justify-between xl:pb-0`}>
        <nav aria-label={labels.main} className="flex flex-col xl:flex-row xl:flex-nowrap xl:items-center xl:gap-0.5">
          {main.map((link) => item(link))}
          {/* Phone: the tools are plain entries of the list. */}
          {tools.map((link) => item(link, 'xl:hidden'))}
          {tools.length > 0 && (
            <div ref={toolsRef} className="relative hidden xl:block">
              <button
                type="button"
                data-testid="nav-tools-button"
                aria-expanded={toolsOpen}
                aria-controls="site-tools"
                onClick={() => setToolsOpen((v) => !v)}
                className={`whitespace-nowrap rounded px-2 py-2 text-sm hover:bg-slate-700 ${tools.some((l) => isCurrent(pathname, l.href)) ? 'bg-slate-700 font-medium' : ''}`}
              >
                {labels.tools} <span aria-hidden="true">▾</span>
              </button>
              <ul id="site-tools" hidden={!toolsOpen} className="absolute right-0 z-40 mt-1 min-w-48 rounded border border-slate-600 bg-slate-800 py-1 shadow-lg">
                {tools.map((link) => (
                  <li key={link.href}>{item(link, 'block rounded-none px-3')}</li>
                ))}
              </ul>
            </div>
          )}
        </nav>
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-700 pt-3 xl:flex-nowrap xl:border-0 xl:pt-0">{children}</div>
      </div>
    </>
  );
}
