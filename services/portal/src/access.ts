import type { OperationRules } from '@district/kit';

/**
 * The portal subgraph's operations and the policy action each needs (kit
 * policy.ts). The outside portal (role portal) reaches them only through the
 * operations safelisted at the gateway (gateway/portal-operations.json).
 */
export const OPERATIONS = {
  'Query.portalProgress': 'portal:ask',
  'Query.portalDiary': 'portal:ask',
  'Query.portalAccessLog': 'portal:readLog',
} as const satisfies OperationRules;
