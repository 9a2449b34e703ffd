// The database handle for the request path: pages, server actions and route handlers take it from here (not from
// db/) to call the query functions they share with the command-line tools, which pass their own handle.
import 'server-only';

export { getDatabase } from '@/db/client';
