// The cache key of a model run: the validated request as canonical JSON plus the dataset version it ran on, so a new
// or reactivated dataset never answers from another dataset's results.
import { createHash } from 'node:crypto';
import type { ModelRequest } from './request';

/** Cache key: the validated request (canonical JSON) and the dataset version it ran on. */
export function modelCacheKey(request: ModelRequest, datasetId: number): string {
  const canonical = JSON.stringify({ ...request, subgroup: { ...request.subgroup, cities: [...request.subgroup.cities].sort() } });
  return createHash('sha256').update(`${datasetId}\n${canonical}`).digest('hex');
}
