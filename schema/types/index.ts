/** Core types, in dependency order. */
import type { Builder } from '../builder';
import type { CoreRefs } from '../core-refs';
import type { ProcessingPurposeDefinition } from '../purposes';
import { addScalars } from './scalars';
import { addAccountTypes } from './account';
import { addDeviceTypes } from './device';
import { addSharingTypes } from './sharing';
import { addSubscriptionTypes } from './subscriptions';
import { addConsentTypes } from './consent';

export function addCoreTypes(builder: Builder, refs: CoreRefs, purposes: ProcessingPurposeDefinition[]) {
  addScalars(builder);
  builder.queryType({});
  builder.mutationType({});
  addAccountTypes(builder, refs);
  addDeviceTypes(builder, refs);
  addSubscriptionTypes(builder, addSharingTypes(builder, refs));
  addConsentTypes(builder, refs, purposes);
}
