import 'fake-indexeddb/auto';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../src/i18n';

// Testing Library cleans up between tests only with vitest globals on; this project keeps them off.
afterEach(() => cleanup());
