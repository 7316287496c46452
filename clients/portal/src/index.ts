export {
  PortalClient,
  type PortalClientOptions,
  type PortalChild,
  type ProgressQuestion,
  type DiaryQuestion,
  type PortalProgress,
  type PortalDiary,
} from './sdk';
export { PortalRefusal, type PortalRefusalCode, type PortalRefusalDetails } from './portal-refusal';
export { portalClientConfigFromEnv, DEMO_DEFAULTS } from './config';
export { portalManifest, type PersistedQueryManifest } from './manifest';
export { PERSISTED_OPERATIONS } from './generated/persisted-operations';
export type * from './generated/graphql';
