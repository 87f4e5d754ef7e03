/**
 * Who may read and call what in the core schema: the union of each core
 * module's rule map (api/permissions/rules/*). A field with no rule is denied
 * (shield fallback), so every new field needs an entry in one of them.
 */
import { allow, mergeRuleMaps, type RuleMap } from './kit';
import { accountRules } from '../accounts/rules';
import { deviceRules } from '../devices/rules';
import { sharingRules } from '../sharing/rules';
import { consentRules } from '../consent/rules';

export function coreRules(): RuleMap {
  return mergeRuleMaps(
    {
      Query: { node: allow },
      PageInfo: allow,
    },
    accountRules,
    deviceRules,
    sharingRules,
    consentRules,
  );
}
