// Page titles in the reader's language: each page exports `generateMetadata = pageTitle('…')`, and the root layout's
// template adds the dashboard's name, so a tab, a bookmark and a screen reader say which page this is.
import 'server-only';
import type { Metadata } from 'next';
import type { MessageKey } from './messages';
import { getTranslator } from './server';

export function pageTitle(key: MessageKey): () => Promise<Metadata> {
  return async () => ({ title: (await getTranslator())(key) });
}
