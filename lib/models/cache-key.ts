// The cache key of a model run: the validated request as canonical JSON plus the dataset version it ran on, so a new
// or reactivated dataset never answers from another dataset's results.
import { createHash } from 'node:crypto';
import { MODEL_DISCLOSURE_VERSION } from './disclosure';
import type { ModelRequest } from './request';

/** Cache key: the validated request (canonical JSON) and the dataset version it ran on. */
export function modelCacheKey(request: ModelRequest, datasetId: number): string {
  const canonical = JSON.stringify({ ...request, subgroup: { ...request.subgroup, cities: [...request.subgroup.cities].sort() } });
  // The output checks' version: answers cached under older (weaker) rules are never served again.
  return createHash('sha256').update(`${datasetId}\n${canonical}\ndisclosure-v${MODEL_DISCLOSURE_VERSION}`).digest('hex');
}
