/**
 * Who may read the quarantine: the device's owner only (not a grantee, not
 * another customer, not the device's own token). Anyone else gets the same
 * NOT_FOUND as for a device that does not exist.
 */
import { allow, defineRule, notFound, type RuleMap, viewerOwnsDevice } from '../../schema/plugin-api';

const ownsParentDevice = defineRule<{ id: string }>(
  'protocols.ownsDevice',
  async (device, args, ctx) => (await viewerOwnsDevice(device, args, ctx)) || notFound('Device'),
);

const ownsFixDevice = defineRule<{ deviceId: string }>(
  'protocols.ownsFixDevice',
  async (fix, args, ctx) => (await viewerOwnsDevice({ id: fix.deviceId }, args, ctx)) || notFound('Rejected fix'),
);

export const protocolRules: RuleMap = {
  Device: { rejectedFixes: ownsParentDevice },
  RejectedFix: ownsFixDevice,
  // Reachable only through Device.rejectedFixes (guarded above).
  DeviceRejectedFixesConnection: allow,
  DeviceRejectedFixesConnectionEdge: allow,
};
