import { allow, canReadAccount, hasAnyRole, type RuleMap } from '../../schema/plugin-api';
/** Who may use the cookies plugin's fields (deny by default covers anything not listed). */

export const cookieRules: RuleMap = {
  // The banner runs before anyone signs in: reading the policy and choosing are public.
  // A visitor id is a random secret of the visitor's browser.
  Query: { cookiePolicy: allow, cookieConsent: allow },
  Mutation: { setCookieConsent: allow, withdrawCookieConsent: allow, publishCookiePolicy: hasAnyRole('ADMIN') },
  Account: { cookieConsents: canReadAccount },
  CookiePolicy: allow,
  CookieCategory: allow,
  CookieDefinition: allow,
  CookieChoice: allow,
  CookieConsent: allow,
};
