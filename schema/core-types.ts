/** Core types, feature by feature, in dependency order (each feature folder holds its types and rules). */
import type { Builder } from './builder';
import type { CoreRefs } from './core-refs';
import type { ProcessingPurposeDefinition } from '../api/consent/purposes';
import { addScalars } from './scalars';
import { addAccountTypes } from './accounts/types';
import { addDeviceTypes } from './devices/types';
import { addDeviceOperations } from './devices/operations';
import { addLocationTypes } from './locations/types';
import { addImportTypes } from './locations/import';
import { addSharingTypes } from './sharing/types';
import { addSubscriptionTypes } from './sharing/subscriptions';
import { addConsentTypes } from './consent/types';

export function addCoreTypes(builder: Builder, refs: CoreRefs, purposes: ProcessingPurposeDefinition[]) {
  addScalars(builder);
  builder.queryType({});
  builder.mutationType({});
  addAccountTypes(builder, refs);
  const deviceRefs = addDeviceTypes(builder, refs);
  addLocationTypes(builder, refs, deviceRefs);
  addImportTypes(builder);
  addDeviceOperations(builder, refs, deviceRefs);
  addSubscriptionTypes(builder, addSharingTypes(builder, refs));
  addConsentTypes(builder, refs, purposes);
}
