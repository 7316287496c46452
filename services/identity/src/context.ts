import type { RequestContext } from '@district/kit';
import type { AccountService } from './accounts/account.service';
import type { IdentityLoaders } from './loaders';
import type { ProvisioningService } from './provisioning/provisioning.service';

export type IdentityContext = RequestContext<IdentityLoaders> & { accounts: AccountService; provisioning: ProvisioningService };
