/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AccessRole =
  /** Active HISTORY grant: live updates and history from grant.historyFrom. */
  | 'HISTORY_VIEWER'
  /** Active LIVE grant: last location and live updates only. */
  | 'LIVE_VIEWER'
  | 'OWNER'
  | 'STAFF';

export type AccountStatus =
  | 'ACTIVE'
  /** Processing restricted at the data subject's request (GDPR art. 18). */
  | 'RESTRICTED'
  /** Erasure requested or inactivity limit reached; deleted at scheduledDeletionAt. */
  | 'SCHEDULED_FOR_DELETION';

export type ConsentMethod =
  | 'API'
  | 'COOKIE_BANNER'
  | 'EMAIL'
  | 'IN_PERSON'
  | 'MOBILE_APP'
  | 'PHONE'
  | 'UNSUBSCRIBE_LINK'
  | 'WEB_FORM';

export type CookieChoiceInput = {
  category: string;
  granted: boolean;
};

export type CreateShareLinkInput = {
  deviceId: string | number;
  expiresAt: string;
  historyFrom?: string | null | undefined;
  scope?: SharingScope | null | undefined;
};

export type DataSubjectRequestKind =
  | 'ACCESS'
  | 'ERASURE'
  | 'OBJECTION'
  | 'PORTABILITY'
  | 'RECTIFICATION'
  | 'RESTRICTION';

export type DataSubjectRequestStatus =
  | 'AWAITING_VERIFICATION'
  | 'COMPLETED'
  | 'IN_PROGRESS'
  | 'REJECTED';

export type DeviceKind =
  | 'OTHER'
  | 'PHONE'
  | 'TRACKER'
  | 'VEHICLE'
  | 'WEARABLE';

export type ExportFormat =
  | 'CSV'
  | 'GEOJSON'
  | 'GPX'
  | 'JSON';

export type GrantSharingInput = {
  deviceId: string | number;
  expiresAt?: string | null | undefined;
  granteeEmail: string;
  historyFrom?: string | null | undefined;
  scope: SharingScope;
  startsAt?: string | null | undefined;
};

export type InvoiceStatus =
  | 'OPEN'
  | 'OVERDUE'
  | 'PAID'
  | 'VOID';

export type LegalBasis =
  | 'CONSENT'
  | 'CONTRACT'
  | 'LEGAL_OBLIGATION'
  | 'LEGITIMATE_INTEREST';

export type Locale =
  | 'EN'
  | 'LV'
  | 'RU';

export type LocationInput = {
  accuracy?: number | null | undefined;
  altitude?: number | null | undefined;
  battery?: number | null | undefined;
  /**
   * Device-chosen unique id of this fix (UUID or a sequence number). Sending the
   * same clientId again is harmless: it is acknowledged as a duplicate and not
   * stored twice, so a device can retry until acknowledged, then delete its copy.
   * A fix is its clientId with its recordedAt: the same clientId with another
   * recordedAt (a sequence restarted after a reinstall) is a new fix, not dropped.
   */
  clientId?: string | null | undefined;
  heading?: number | null | undefined;
  /** -90 to 90. */
  latitude: number;
  /** -180 to 180. */
  longitude: number;
  recordedAt: string;
  source?: LocationSource | null | undefined;
  speed?: number | null | undefined;
};

export type LocationSource =
  | 'CELL'
  | 'FUSED'
  | 'GPS'
  | 'UNKNOWN'
  | 'WIFI';

export type LoginInput = {
  email: string;
  password: string;
};

export type PolicyKind =
  | 'COOKIE_POLICY'
  | 'PRIVACY_POLICY';

export type RecordLocationsInput = {
  /** Needed when the caller is the owner; implied when the caller is a device token. */
  deviceId?: string | number | null | undefined;
  /** 1 to 1000 points. Invalid points are rejected one by one; valid ones are stored. */
  points: Array<LocationInput>;
};

export type RegisterDeviceInput = {
  identifier?: string | null | undefined;
  kind: DeviceKind;
  name: string;
};

export type RegisterInput = {
  email: string;
  familyName?: string | null | undefined;
  givenName?: string | null | undefined;
  locale?: Locale | null | undefined;
  /** At least 10 characters. */
  password: string;
  /** The privacy policy version the person was shown when registering. */
  privacyPolicyVersion: string;
};

export type Role =
  | 'ACCOUNTING'
  | 'ADMIN'
  | 'CUSTOMER'
  | 'DPO'
  | 'MARKETING'
  | 'SUPPORT';

export type SetConsentInput = {
  /** Staff only: record a choice received by phone, email or in person for this account. */
  accountId?: string | number | null | undefined;
  granted: boolean;
  method?: ConsentMethod | null | undefined;
  /** Defaults to the current privacy policy version. */
  policyVersion?: string | null | undefined;
  purpose: string;
};

export type SetCookieConsentInput = {
  choices: Array<CookieChoiceInput>;
  policyVersion: string;
  visitorId: string;
};

export type SharingGrantStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  /** Invitee has no account yet; becomes ACTIVE when that email registers. */
  | 'PENDING'
  | 'REVOKED'
  /** startsAt is in the future. */
  | 'SCHEDULED';

export type SharingScope =
  | 'HISTORY'
  | 'LIVE';

export type SortOrder =
  | 'ASC'
  | 'DESC';

export type SubmitDataSubjectRequestInput = {
  /** Staff only: a request received in writing for this account. */
  accountId?: string | number | null | undefined;
  details?: string | null | undefined;
  kind: DataSubjectRequestKind;
  verificationMethod?: VerificationMethod | null | undefined;
};

export type SubscribeInput = {
  /** The device the service is for (optional). */
  deviceId?: string | number | null | undefined;
  planCode: string;
};

export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'ENDED'
  | 'PENDING_PAYMENT';

export type UpdateDeviceInput = {
  deviceId: string | number;
  kind?: DeviceKind | null | undefined;
  name?: string | null | undefined;
};

export type UpdateProfileInput = {
  address?: string | null | undefined;
  familyName?: string | null | undefined;
  givenName?: string | null | undefined;
  iban?: string | null | undefined;
  locale?: Locale | null | undefined;
  personalCode?: string | null | undefined;
  phone?: string | null | undefined;
};

export type VerificationMethod =
  | 'AUTHENTICATED_SESSION'
  | 'E_SIGNATURE'
  | 'HANDWRITTEN_SIGNATURE';

export type AccountFieldsFragment = { id: string, email: string, givenName: string | null, familyName: string | null, locale: Locale, roles: Array<Role>, status: AccountStatus };

export type RegisterMutationVariables = Exact<{
  input: RegisterInput;
}>;


export type RegisterMutation = { register: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, account: { id: string, email: string, givenName: string | null, familyName: string | null, locale: Locale, roles: Array<Role>, status: AccountStatus } } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, account: { id: string, email: string, givenName: string | null, familyName: string | null, locale: Locale, roles: Array<Role>, status: AccountStatus } } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshSessionMutation = { refreshSession: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string } };

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;


export type LogoutMutation = { logout: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { phone: string | null, address: string | null, personalCode: string | null, lastActiveAt: string, scheduledDeletionAt: string | null, id: string, email: string, givenName: string | null, familyName: string | null, locale: Locale, roles: Array<Role>, status: AccountStatus } | null };

export type UpdateProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateProfileMutation = { updateProfile: { phone: string | null, address: string | null, id: string, email: string, givenName: string | null, familyName: string | null, locale: Locale, roles: Array<Role>, status: AccountStatus } };

export type CurrentPolicyQueryVariables = Exact<{
  kind: PolicyKind;
  locale?: Locale | null | undefined;
}>;


export type CurrentPolicyQuery = { currentPolicy: { kind: PolicyKind, version: string, locale: Locale, url: string | null, effectiveAt: string } };

export type ServicePlansQueryVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type ServicePlansQuery = { servicePlans: Array<{ code: string, name: string, priceCents: number, currency: string, period: string, requiresIdentityVerification: boolean }> };

export type SubscribeMutationVariables = Exact<{
  input: SubscribeInput;
}>;


export type SubscribeMutation = { subscribe: { id: string, status: SubscriptionStatus, currentPeriodEnd: string | null, plan: { code: string }, invoices: Array<{ number: string, status: InvoiceStatus, totalCents: number, vatCents: number, currency: string, dueAt: string }> } };

export type CancelSubscriptionMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelSubscriptionMutation = { cancelSubscription: { id: string, status: SubscriptionStatus, cancelledAt: string | null, currentPeriodEnd: string | null } };

export type MyBillingQueryVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type MyBillingQuery = { me: { id: string, subscriptions: Array<{ id: string, status: SubscriptionStatus, currentPeriodEnd: string | null, cancelledAt: string | null, plan: { code: string, name: string } }>, invoices: Array<{ id: string, number: string, status: InvoiceStatus, totalCents: number, vatCents: number, currency: string, issuedAt: string, dueAt: string, paidAt: string | null }>, payments: Array<{ id: string, amountCents: number, currency: string, receivedAt: string, provider: string }>, keptAfterDeletion: Array<{ dataCategory: string, purpose: string, count: number, reason: string, keptUntil: string | null }> } | null };

export type ProcessingPurposesQueryVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type ProcessingPurposesQuery = { processingPurposes: Array<{ code: string, title: string, description: string, legalBasis: LegalBasis, dataCategories: Array<string>, recipients: Array<string>, retention: string, requiresConsent: boolean }> };

export type MyConsentsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyConsentsQuery = { me: { id: string, consents: Array<{ granted: boolean, since: string | null, purpose: { code: string, title: string } }> } | null };

export type SetConsentMutationVariables = Exact<{
  input: SetConsentInput;
}>;


export type SetConsentMutation = { setConsent: { granted: boolean, since: string | null, purpose: { code: string }, record: { id: string, method: ConsentMethod, policyVersion: string, recordedAt: string, receipt: string } | null } };

export type DeviceFieldsFragment = { id: string, name: string, kind: DeviceKind, identifier: string | null, accessRole: AccessRole, createdAt: string, lastSeenAt: string | null, owner: { id: string, displayName: string } };

export type LocationPointFieldsFragment = { id: string, recordedAt: string, receivedAt: string, latitude: number, longitude: number, accuracy: number | null, altitude: number | null, speed: number | null, heading: number | null, battery: number | null, source: LocationSource };

export type MyDevicesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyDevicesQuery = { devices: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: DeviceKind, identifier: string | null, accessRole: AccessRole, createdAt: string, lastSeenAt: string | null, lastLocation: { id: string, recordedAt: string, receivedAt: string, latitude: number, longitude: number, accuracy: number | null, altitude: number | null, speed: number | null, heading: number | null, battery: number | null, source: LocationSource } | null, owner: { id: string, displayName: string } } }> } };

export type SharedDevicesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SharedDevicesQuery = { sharedDevices: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: DeviceKind, identifier: string | null, accessRole: AccessRole, createdAt: string, lastSeenAt: string | null, lastLocation: { id: string, recordedAt: string, receivedAt: string, latitude: number, longitude: number, accuracy: number | null, altitude: number | null, speed: number | null, heading: number | null, battery: number | null, source: LocationSource } | null, owner: { id: string, displayName: string } } }> } };

export type DeviceQueryVariables = Exact<{
  id: string | number;
}>;


export type DeviceQuery = { device: { id: string, name: string, kind: DeviceKind, identifier: string | null, accessRole: AccessRole, createdAt: string, lastSeenAt: string | null, lastLocation: { id: string, recordedAt: string, receivedAt: string, latitude: number, longitude: number, accuracy: number | null, altitude: number | null, speed: number | null, heading: number | null, battery: number | null, source: LocationSource } | null, owner: { id: string, displayName: string } } | null };

export type LocationHistoryQueryVariables = Exact<{
  deviceId: string | number;
  from?: string | null | undefined;
  to?: string | null | undefined;
  order?: SortOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type LocationHistoryQuery = { device: { id: string, locations: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, recordedAt: string, receivedAt: string, latitude: number, longitude: number, accuracy: number | null, altitude: number | null, speed: number | null, heading: number | null, battery: number | null, source: LocationSource } }> } } | null };

export type DeviceTrackQueryVariables = Exact<{
  deviceId: string | number;
  from: string;
  to: string;
  toleranceMeters?: number | null | undefined;
}>;


export type DeviceTrackQuery = { device: { id: string, track: { deviceId: string, from: string, to: string, pointCount: number, simplifiedPointCount: number, distanceMeters: number, geojson: unknown } } | null };

export type RegisterDeviceMutationVariables = Exact<{
  input: RegisterDeviceInput;
}>;


export type RegisterDeviceMutation = { registerDevice: { deviceToken: string, device: { id: string, name: string, kind: DeviceKind, identifier: string | null, accessRole: AccessRole, createdAt: string, lastSeenAt: string | null, owner: { id: string, displayName: string } } } };

export type UpdateDeviceMutationVariables = Exact<{
  input: UpdateDeviceInput;
}>;


export type UpdateDeviceMutation = { updateDevice: { id: string, name: string, kind: DeviceKind, identifier: string | null, accessRole: AccessRole, createdAt: string, lastSeenAt: string | null, owner: { id: string, displayName: string } } };

export type RotateDeviceTokenMutationVariables = Exact<{
  deviceId: string | number;
}>;


export type RotateDeviceTokenMutation = { rotateDeviceToken: { deviceToken: string, device: { id: string } } };

export type RemoveDeviceMutationVariables = Exact<{
  deviceId: string | number;
}>;


export type RemoveDeviceMutation = { removeDevice: { deviceId: string, deletedLocations: number } };

export type RecordLocationsMutationVariables = Exact<{
  input: RecordLocationsInput;
}>;


export type RecordLocationsMutation = { recordLocations: { accepted: number, duplicates: number, acknowledgedClientIds: Array<string>, rejected: Array<{ index: number, clientId: string | null, code: string, message: string }> } };

export type LocationUpdatedSubscriptionVariables = Exact<{
  deviceIds?: Array<string | number> | string | number | null | undefined;
  since?: string | null | undefined;
}>;


export type LocationUpdatedSubscription = { locationUpdated: { id: string, recordedAt: string, receivedAt: string, latitude: number, longitude: number, accuracy: number | null, altitude: number | null, speed: number | null, heading: number | null, battery: number | null, source: LocationSource, device: { id: string, name: string } } };

export type SharingGrantChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type SharingGrantChangedSubscription = { sharingGrantChanged: { id: string, scope: SharingScope, status: SharingGrantStatus, startsAt: string, expiresAt: string | null, historyFrom: string | null, revokedAt: string | null, inviteeEmail: string | null, createdAt: string, device: { id: string, name: string }, owner: { id: string, displayName: string }, grantee: { id: string, displayName: string } | null } };

export type SharedLocationUpdatedSubscriptionVariables = Exact<{
  token: string;
  since?: string | null | undefined;
}>;


export type SharedLocationUpdatedSubscription = { sharedLocationUpdated: { receivedAt: string | null, latitude: number, longitude: number, accuracy: number | null, speed: number | null, heading: number | null, recordedAt: string } };

export type LiveMapDevicesQueryVariables = Exact<{
  first?: number | null | undefined;
  trail?: number | null | undefined;
}>;


export type LiveMapDevicesQuery = { devices: { edges: Array<{ node: { id: string, name: string, lastLocation: { latitude: number, longitude: number, recordedAt: string } | null, locations: { edges: Array<{ node: { latitude: number, longitude: number, recordedAt: string } }> } } }> }, sharedDevices: { edges: Array<{ node: { id: string, name: string, owner: { displayName: string }, lastLocation: { latitude: number, longitude: number, recordedAt: string } | null } }> } };

export type CookieConsentFieldsFragment = { id: string, visitorId: string, policyVersion: string, globalPrivacyControl: boolean, needsRenewal: boolean, recordedAt: string, expiresAt: string, receipt: string, choices: Array<{ category: string, granted: boolean }> };

export type CookiePolicyQueryVariables = Exact<{
  locale?: Locale | null | undefined;
}>;


export type CookiePolicyQuery = { cookiePolicy: { version: string, updatedAt: string, categories: Array<{ key: string, title: string, description: string, required: boolean }>, cookies: Array<{ name: string, category: string, provider: string, purpose: string, duration: string, thirdParty: boolean }> } };

export type CookieConsentQueryVariables = Exact<{
  visitorId: string;
}>;


export type CookieConsentQuery = { cookieConsent: { id: string, visitorId: string, policyVersion: string, globalPrivacyControl: boolean, needsRenewal: boolean, recordedAt: string, expiresAt: string, receipt: string, choices: Array<{ category: string, granted: boolean }> } | null };

export type SetCookieConsentMutationVariables = Exact<{
  input: SetCookieConsentInput;
}>;


export type SetCookieConsentMutation = { setCookieConsent: { id: string, visitorId: string, policyVersion: string, globalPrivacyControl: boolean, needsRenewal: boolean, recordedAt: string, expiresAt: string, receipt: string, choices: Array<{ category: string, granted: boolean }> } };

export type WithdrawCookieConsentMutationVariables = Exact<{
  visitorId: string;
}>;


export type WithdrawCookieConsentMutation = { withdrawCookieConsent: { id: string, visitorId: string, policyVersion: string, globalPrivacyControl: boolean, needsRenewal: boolean, recordedAt: string, expiresAt: string, receipt: string, choices: Array<{ category: string, granted: boolean }> } };

export type ExportMyDataQueryVariables = Exact<{
  format?: ExportFormat | null | undefined;
}>;


export type ExportMyDataQuery = { exportMyData: { id: string, format: ExportFormat, createdAt: string, sizeBytes: number, free: boolean, content: unknown } };

export type SubmitDataSubjectRequestMutationVariables = Exact<{
  input: SubmitDataSubjectRequestInput;
}>;


export type SubmitDataSubjectRequestMutation = { submitDataSubjectRequest: { id: string, kind: DataSubjectRequestKind, status: DataSubjectRequestStatus, submittedAt: string, dueAt: string } };

export type SharingGrantFieldsFragment = { id: string, scope: SharingScope, status: SharingGrantStatus, startsAt: string, expiresAt: string | null, historyFrom: string | null, revokedAt: string | null, inviteeEmail: string | null, createdAt: string, device: { id: string, name: string }, owner: { id: string, displayName: string }, grantee: { id: string, displayName: string } | null };

export type ShareLinkFieldsFragment = { id: string, scope: SharingScope, status: SharingGrantStatus, url: string | null, expiresAt: string, historyFrom: string | null, revokedAt: string | null, views: number, createdAt: string, device: { id: string } };

export type GrantSharingMutationVariables = Exact<{
  input: GrantSharingInput;
}>;


export type GrantSharingMutation = { grantSharing: { id: string, scope: SharingScope, status: SharingGrantStatus, startsAt: string, expiresAt: string | null, historyFrom: string | null, revokedAt: string | null, inviteeEmail: string | null, createdAt: string, device: { id: string, name: string }, owner: { id: string, displayName: string }, grantee: { id: string, displayName: string } | null } };

export type RevokeSharingMutationVariables = Exact<{
  grantId: string | number;
}>;


export type RevokeSharingMutation = { revokeSharing: { id: string, scope: SharingScope, status: SharingGrantStatus, startsAt: string, expiresAt: string | null, historyFrom: string | null, revokedAt: string | null, inviteeEmail: string | null, createdAt: string, device: { id: string, name: string }, owner: { id: string, displayName: string }, grantee: { id: string, displayName: string } | null } };

export type ReceivedSharingGrantsQueryVariables = Exact<{
  includeInactive?: boolean | null | undefined;
}>;


export type ReceivedSharingGrantsQuery = { receivedSharingGrants: Array<{ id: string, scope: SharingScope, status: SharingGrantStatus, startsAt: string, expiresAt: string | null, historyFrom: string | null, revokedAt: string | null, inviteeEmail: string | null, createdAt: string, device: { id: string, name: string }, owner: { id: string, displayName: string }, grantee: { id: string, displayName: string } | null }> };

export type DeviceSharingQueryVariables = Exact<{
  deviceId: string | number;
  includeInactive?: boolean | null | undefined;
}>;


export type DeviceSharingQuery = { device: { id: string, sharingGrants: Array<{ id: string, scope: SharingScope, status: SharingGrantStatus, startsAt: string, expiresAt: string | null, historyFrom: string | null, revokedAt: string | null, inviteeEmail: string | null, createdAt: string, device: { id: string, name: string }, owner: { id: string, displayName: string }, grantee: { id: string, displayName: string } | null }>, shareLinks: Array<{ id: string, scope: SharingScope, status: SharingGrantStatus, url: string | null, expiresAt: string, historyFrom: string | null, revokedAt: string | null, views: number, createdAt: string, device: { id: string } }> } | null };

export type CreateShareLinkMutationVariables = Exact<{
  input: CreateShareLinkInput;
}>;


export type CreateShareLinkMutation = { createShareLink: { id: string, scope: SharingScope, status: SharingGrantStatus, url: string | null, expiresAt: string, historyFrom: string | null, revokedAt: string | null, views: number, createdAt: string, device: { id: string } } };

export type RevokeShareLinkMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeShareLinkMutation = { revokeShareLink: { id: string, scope: SharingScope, status: SharingGrantStatus, url: string | null, expiresAt: string, historyFrom: string | null, revokedAt: string | null, views: number, createdAt: string, device: { id: string } } };

export type SharedLocationQueryVariables = Exact<{
  token: string;
}>;


export type SharedLocationQuery = { sharedLocation: { deviceName: string, expiresAt: string, lastLocation: { latitude: number, longitude: number, accuracy: number | null, speed: number | null, heading: number | null, recordedAt: string } | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AccountFieldsFragmentDoc = new TypedDocumentString(`
    fragment AccountFields on Account {
  id
  email
  givenName
  familyName
  locale
  roles
  status
}
    `, {"fragmentName":"AccountFields"}) as unknown as TypedDocumentString<AccountFieldsFragment, unknown>;
export const DeviceFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeviceFields on Device {
  id
  name
  kind
  identifier
  accessRole
  createdAt
  lastSeenAt
  owner {
    id
    displayName
  }
}
    `, {"fragmentName":"DeviceFields"}) as unknown as TypedDocumentString<DeviceFieldsFragment, unknown>;
export const LocationPointFieldsFragmentDoc = new TypedDocumentString(`
    fragment LocationPointFields on LocationPoint {
  id
  recordedAt
  receivedAt
  latitude
  longitude
  accuracy
  altitude
  speed
  heading
  battery
  source
}
    `, {"fragmentName":"LocationPointFields"}) as unknown as TypedDocumentString<LocationPointFieldsFragment, unknown>;
export const CookieConsentFieldsFragmentDoc = new TypedDocumentString(`
    fragment CookieConsentFields on CookieConsent {
  id
  visitorId
  policyVersion
  choices {
    category
    granted
  }
  globalPrivacyControl
  needsRenewal
  recordedAt
  expiresAt
  receipt
}
    `, {"fragmentName":"CookieConsentFields"}) as unknown as TypedDocumentString<CookieConsentFieldsFragment, unknown>;
export const SharingGrantFieldsFragmentDoc = new TypedDocumentString(`
    fragment SharingGrantFields on SharingGrant {
  id
  scope
  status
  startsAt
  expiresAt
  historyFrom
  revokedAt
  inviteeEmail
  createdAt
  device {
    id
    name
  }
  owner {
    id
    displayName
  }
  grantee {
    id
    displayName
  }
}
    `, {"fragmentName":"SharingGrantFields"}) as unknown as TypedDocumentString<SharingGrantFieldsFragment, unknown>;
export const ShareLinkFieldsFragmentDoc = new TypedDocumentString(`
    fragment ShareLinkFields on ShareLink {
  id
  scope
  status
  url
  expiresAt
  historyFrom
  revokedAt
  views
  createdAt
  device {
    id
  }
}
    `, {"fragmentName":"ShareLinkFields"}) as unknown as TypedDocumentString<ShareLinkFieldsFragment, unknown>;
export const RegisterDocument = new TypedDocumentString(`
    mutation Register($input: RegisterInput!) {
  register(input: $input) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    account {
      ...AccountFields
    }
  }
}
    fragment AccountFields on Account {
  id
  email
  givenName
  familyName
  locale
  roles
  status
}`, {"hash":"sha256:29ae2ac658c97f4cd51cce4e69e3c7b7da61a0d1fab10c5630795b10bb18cc02"}) as unknown as TypedDocumentString<RegisterMutation, RegisterMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    account {
      ...AccountFields
    }
  }
}
    fragment AccountFields on Account {
  id
  email
  givenName
  familyName
  locale
  roles
  status
}`, {"hash":"sha256:6c24d608e0f55fa841290f79ae1e7c1af456d869e1e49b34decf9bc8436a8a4c"}) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    accessToken
    accessTokenExpiresAt
    refreshToken
  }
}
    `, {"hash":"sha256:133ed5fb60c8edc2eac18bb8989536f9b7b65b1bb91a27bf692a7b396a5a39d1"}) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `, {"hash":"sha256:44df27831b2e811e41361abb45896fc013bf9f0e37f54ae93fdb75c2c1f24da5"}) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...AccountFields
    phone
    address
    personalCode
    lastActiveAt
    scheduledDeletionAt
  }
}
    fragment AccountFields on Account {
  id
  email
  givenName
  familyName
  locale
  roles
  status
}`, {"hash":"sha256:69d26ba58f8ce27a42156a65bda27cb120cc57feec2ff52f59259ddbe69d9471"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const UpdateProfileDocument = new TypedDocumentString(`
    mutation UpdateProfile($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    ...AccountFields
    phone
    address
  }
}
    fragment AccountFields on Account {
  id
  email
  givenName
  familyName
  locale
  roles
  status
}`, {"hash":"sha256:219fea80b86d1acfe5fcaeaac505efb2e412df168d6e4a7533f61dd445e26cd1"}) as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;
export const CurrentPolicyDocument = new TypedDocumentString(`
    query CurrentPolicy($kind: PolicyKind!, $locale: Locale = LV) {
  currentPolicy(kind: $kind, locale: $locale) {
    kind
    version
    locale
    url
    effectiveAt
  }
}
    `, {"hash":"sha256:da4a1fcbba5d3bdabeaf2bd8e28da09f21b5738ea502d5a09f67060bac322200"}) as unknown as TypedDocumentString<CurrentPolicyQuery, CurrentPolicyQueryVariables>;
export const ServicePlansDocument = new TypedDocumentString(`
    query ServicePlans($locale: Locale) {
  servicePlans {
    code
    name(locale: $locale)
    priceCents
    currency
    period
    requiresIdentityVerification
  }
}
    `, {"hash":"sha256:8e54f1765fcf4bb500391f12392e0822f6672fd244c09daefec3e5e904d38e51"}) as unknown as TypedDocumentString<ServicePlansQuery, ServicePlansQueryVariables>;
export const SubscribeDocument = new TypedDocumentString(`
    mutation Subscribe($input: SubscribeInput!) {
  subscribe(input: $input) {
    id
    status
    currentPeriodEnd
    plan {
      code
    }
    invoices {
      number
      status
      totalCents
      vatCents
      currency
      dueAt
    }
  }
}
    `, {"hash":"sha256:fe4886b4a225d82d180802397dd1042bcbc8c10a4ab16b21528ea4e8fe2d3ba7"}) as unknown as TypedDocumentString<SubscribeMutation, SubscribeMutationVariables>;
export const CancelSubscriptionDocument = new TypedDocumentString(`
    mutation CancelSubscription($id: ID!) {
  cancelSubscription(id: $id) {
    id
    status
    cancelledAt
    currentPeriodEnd
  }
}
    `, {"hash":"sha256:28389cd37d612b33d6c0d05c373711a74fc5b04fb5cd511a34cfe5baa7db7a17"}) as unknown as TypedDocumentString<CancelSubscriptionMutation, CancelSubscriptionMutationVariables>;
export const MyBillingDocument = new TypedDocumentString(`
    query MyBilling($locale: Locale) {
  me {
    id
    subscriptions {
      id
      status
      currentPeriodEnd
      cancelledAt
      plan {
        code
        name(locale: $locale)
      }
    }
    invoices {
      id
      number
      status
      totalCents
      vatCents
      currency
      issuedAt
      dueAt
      paidAt
    }
    payments {
      id
      amountCents
      currency
      receivedAt
      provider
    }
    keptAfterDeletion {
      dataCategory
      purpose
      count
      reason(locale: $locale)
      keptUntil
    }
  }
}
    `, {"hash":"sha256:5b90dd21426523d68acdd3e2ca7e85425a459a480df3b1a41c67a8a249e7375e"}) as unknown as TypedDocumentString<MyBillingQuery, MyBillingQueryVariables>;
export const ProcessingPurposesDocument = new TypedDocumentString(`
    query ProcessingPurposes($locale: Locale) {
  processingPurposes {
    code
    title(locale: $locale)
    description(locale: $locale)
    legalBasis
    dataCategories
    recipients
    retention
    requiresConsent
  }
}
    `, {"hash":"sha256:9cab5336789f9cb678453882e1e3c206cb4d77bd021cde4acff225fcbc23b176"}) as unknown as TypedDocumentString<ProcessingPurposesQuery, ProcessingPurposesQueryVariables>;
export const MyConsentsDocument = new TypedDocumentString(`
    query MyConsents {
  me {
    id
    consents {
      purpose {
        code
        title
      }
      granted
      since
    }
  }
}
    `, {"hash":"sha256:a8a1ac080395ef0c6ecc556d0b377c87b32f4b14418a73aa87cd9e3c72384454"}) as unknown as TypedDocumentString<MyConsentsQuery, MyConsentsQueryVariables>;
export const SetConsentDocument = new TypedDocumentString(`
    mutation SetConsent($input: SetConsentInput!) {
  setConsent(input: $input) {
    granted
    since
    purpose {
      code
    }
    record {
      id
      method
      policyVersion
      recordedAt
      receipt
    }
  }
}
    `, {"hash":"sha256:416deef3ca52bc8f9ac281e3b10ca02abc5d63e0f003b43c7e26d4ec35355a64"}) as unknown as TypedDocumentString<SetConsentMutation, SetConsentMutationVariables>;
export const MyDevicesDocument = new TypedDocumentString(`
    query MyDevices($first: Int = 20, $after: String) {
  devices(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...DeviceFields
        lastLocation {
          ...LocationPointFields
        }
      }
    }
  }
}
    fragment DeviceFields on Device {
  id
  name
  kind
  identifier
  accessRole
  createdAt
  lastSeenAt
  owner {
    id
    displayName
  }
}
fragment LocationPointFields on LocationPoint {
  id
  recordedAt
  receivedAt
  latitude
  longitude
  accuracy
  altitude
  speed
  heading
  battery
  source
}`, {"hash":"sha256:a865dbc03329783bb940ef4344d07952c8809974656a953f5b6fbc8c2ef69bfb"}) as unknown as TypedDocumentString<MyDevicesQuery, MyDevicesQueryVariables>;
export const SharedDevicesDocument = new TypedDocumentString(`
    query SharedDevices($first: Int = 20, $after: String) {
  sharedDevices(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...DeviceFields
        lastLocation {
          ...LocationPointFields
        }
      }
    }
  }
}
    fragment DeviceFields on Device {
  id
  name
  kind
  identifier
  accessRole
  createdAt
  lastSeenAt
  owner {
    id
    displayName
  }
}
fragment LocationPointFields on LocationPoint {
  id
  recordedAt
  receivedAt
  latitude
  longitude
  accuracy
  altitude
  speed
  heading
  battery
  source
}`, {"hash":"sha256:f11d98acf2adb258630bc506ae6954ec96ed8c9710b990de3b995b205c31c69d"}) as unknown as TypedDocumentString<SharedDevicesQuery, SharedDevicesQueryVariables>;
export const DeviceDocument = new TypedDocumentString(`
    query Device($id: ID!) {
  device(id: $id) {
    ...DeviceFields
    lastLocation {
      ...LocationPointFields
    }
  }
}
    fragment DeviceFields on Device {
  id
  name
  kind
  identifier
  accessRole
  createdAt
  lastSeenAt
  owner {
    id
    displayName
  }
}
fragment LocationPointFields on LocationPoint {
  id
  recordedAt
  receivedAt
  latitude
  longitude
  accuracy
  altitude
  speed
  heading
  battery
  source
}`, {"hash":"sha256:a82c22e05a355ba40a5e4786065b02c17c2ff18fe8d4b290852ba3c7e063b295"}) as unknown as TypedDocumentString<DeviceQuery, DeviceQueryVariables>;
export const LocationHistoryDocument = new TypedDocumentString(`
    query LocationHistory($deviceId: ID!, $from: DateTime, $to: DateTime, $order: SortOrder = DESC, $first: Int = 100, $after: String) {
  device(id: $deviceId) {
    id
    locations(from: $from, to: $to, order: $order, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...LocationPointFields
        }
      }
    }
  }
}
    fragment LocationPointFields on LocationPoint {
  id
  recordedAt
  receivedAt
  latitude
  longitude
  accuracy
  altitude
  speed
  heading
  battery
  source
}`, {"hash":"sha256:46dd0a4dfc392e32bad084e89a36a12bc1c26a90ef56245de1ac32629827fa83"}) as unknown as TypedDocumentString<LocationHistoryQuery, LocationHistoryQueryVariables>;
export const DeviceTrackDocument = new TypedDocumentString(`
    query DeviceTrack($deviceId: ID!, $from: DateTime!, $to: DateTime!, $toleranceMeters: Float = 0) {
  device(id: $deviceId) {
    id
    track(from: $from, to: $to, toleranceMeters: $toleranceMeters) {
      deviceId
      from
      to
      pointCount
      simplifiedPointCount
      distanceMeters
      geojson
    }
  }
}
    `, {"hash":"sha256:800021e8c3b32fcf934908922f14068a86a24454cf59fe811eea5e5ee7eff0f0"}) as unknown as TypedDocumentString<DeviceTrackQuery, DeviceTrackQueryVariables>;
export const RegisterDeviceDocument = new TypedDocumentString(`
    mutation RegisterDevice($input: RegisterDeviceInput!) {
  registerDevice(input: $input) {
    deviceToken
    device {
      ...DeviceFields
    }
  }
}
    fragment DeviceFields on Device {
  id
  name
  kind
  identifier
  accessRole
  createdAt
  lastSeenAt
  owner {
    id
    displayName
  }
}`, {"hash":"sha256:442f0f59db704d0fc7ee5a482d1ff700fc906e9c19b05a73fe27c951f5983b1b"}) as unknown as TypedDocumentString<RegisterDeviceMutation, RegisterDeviceMutationVariables>;
export const UpdateDeviceDocument = new TypedDocumentString(`
    mutation UpdateDevice($input: UpdateDeviceInput!) {
  updateDevice(input: $input) {
    ...DeviceFields
  }
}
    fragment DeviceFields on Device {
  id
  name
  kind
  identifier
  accessRole
  createdAt
  lastSeenAt
  owner {
    id
    displayName
  }
}`, {"hash":"sha256:ddbb5107302406eaa7c6835b094088356672d8650e6c7b160404eee3d93ae9f2"}) as unknown as TypedDocumentString<UpdateDeviceMutation, UpdateDeviceMutationVariables>;
export const RotateDeviceTokenDocument = new TypedDocumentString(`
    mutation RotateDeviceToken($deviceId: ID!) {
  rotateDeviceToken(deviceId: $deviceId) {
    deviceToken
    device {
      id
    }
  }
}
    `, {"hash":"sha256:17aa643c3f7e28ba3fc2f51b030d79c988e422210606f7577917e26a01cda28b"}) as unknown as TypedDocumentString<RotateDeviceTokenMutation, RotateDeviceTokenMutationVariables>;
export const RemoveDeviceDocument = new TypedDocumentString(`
    mutation RemoveDevice($deviceId: ID!) {
  removeDevice(deviceId: $deviceId) {
    deviceId
    deletedLocations
  }
}
    `, {"hash":"sha256:8e2a1962c29e471cc9bfc9e4bec3a4675c66e94f02e2254ab86126ce929354b3"}) as unknown as TypedDocumentString<RemoveDeviceMutation, RemoveDeviceMutationVariables>;
export const RecordLocationsDocument = new TypedDocumentString(`
    mutation RecordLocations($input: RecordLocationsInput!) {
  recordLocations(input: $input) {
    accepted
    duplicates
    acknowledgedClientIds
    rejected {
      index
      clientId
      code
      message
    }
  }
}
    `, {"hash":"sha256:8092b443019cde1b1cab31630b34090133e670fa396c8a11d4d4d08cf2667fa5"}) as unknown as TypedDocumentString<RecordLocationsMutation, RecordLocationsMutationVariables>;
export const LocationUpdatedDocument = new TypedDocumentString(`
    subscription LocationUpdated($deviceIds: [ID!], $since: DateTime) {
  locationUpdated(deviceIds: $deviceIds, since: $since) {
    ...LocationPointFields
    device {
      id
      name
    }
  }
}
    fragment LocationPointFields on LocationPoint {
  id
  recordedAt
  receivedAt
  latitude
  longitude
  accuracy
  altitude
  speed
  heading
  battery
  source
}`, {"hash":"sha256:a3abf2df1d5fd9fc5f527b4a2d72307745858075cb029dfaecca12e4637ded37"}) as unknown as TypedDocumentString<LocationUpdatedSubscription, LocationUpdatedSubscriptionVariables>;
export const SharingGrantChangedDocument = new TypedDocumentString(`
    subscription SharingGrantChanged {
  sharingGrantChanged {
    ...SharingGrantFields
  }
}
    fragment SharingGrantFields on SharingGrant {
  id
  scope
  status
  startsAt
  expiresAt
  historyFrom
  revokedAt
  inviteeEmail
  createdAt
  device {
    id
    name
  }
  owner {
    id
    displayName
  }
  grantee {
    id
    displayName
  }
}`, {"hash":"sha256:eca515f8400422b01cd5d8d2b808b104d4f2d23621df5311341a011f11eea04d"}) as unknown as TypedDocumentString<SharingGrantChangedSubscription, SharingGrantChangedSubscriptionVariables>;
export const SharedLocationUpdatedDocument = new TypedDocumentString(`
    subscription SharedLocationUpdated($token: String!, $since: DateTime) {
  sharedLocationUpdated(token: $token, since: $since) {
    receivedAt
    latitude
    longitude
    accuracy
    speed
    heading
    recordedAt
  }
}
    `, {"hash":"sha256:2bc0fde83cea5312ab42f5364b3ba7ac23f58a5917842096fcc33ff8f1cbe2d8"}) as unknown as TypedDocumentString<SharedLocationUpdatedSubscription, SharedLocationUpdatedSubscriptionVariables>;
export const LiveMapDevicesDocument = new TypedDocumentString(`
    query LiveMapDevices($first: Int = 50, $trail: Int = 50) {
  devices(first: $first) {
    edges {
      node {
        id
        name
        lastLocation {
          latitude
          longitude
          recordedAt
        }
        locations(first: $trail) {
          edges {
            node {
              latitude
              longitude
              recordedAt
            }
          }
        }
      }
    }
  }
  sharedDevices(first: $first) {
    edges {
      node {
        id
        name
        owner {
          displayName
        }
        lastLocation {
          latitude
          longitude
          recordedAt
        }
      }
    }
  }
}
    `, {"hash":"sha256:9e08ba674a2a0eb55b44c8e1922126c5095f07bb361729f1df387d22df25cdbc"}) as unknown as TypedDocumentString<LiveMapDevicesQuery, LiveMapDevicesQueryVariables>;
export const CookiePolicyDocument = new TypedDocumentString(`
    query CookiePolicy($locale: Locale = LV) {
  cookiePolicy(locale: $locale) {
    version
    updatedAt
    categories {
      key
      title(locale: $locale)
      description(locale: $locale)
      required
    }
    cookies {
      name
      category
      provider
      purpose(locale: $locale)
      duration
      thirdParty
    }
  }
}
    `, {"hash":"sha256:3d1f68b203bfc4368bd31183ae489ddb1d378154676e65fac030f7a68d6b04dc"}) as unknown as TypedDocumentString<CookiePolicyQuery, CookiePolicyQueryVariables>;
export const CookieConsentDocument = new TypedDocumentString(`
    query CookieConsent($visitorId: String!) {
  cookieConsent(visitorId: $visitorId) {
    ...CookieConsentFields
  }
}
    fragment CookieConsentFields on CookieConsent {
  id
  visitorId
  policyVersion
  choices {
    category
    granted
  }
  globalPrivacyControl
  needsRenewal
  recordedAt
  expiresAt
  receipt
}`, {"hash":"sha256:a997036bcab861a2c7107c28c29264ef01f1382ee17dda75acbe90d5e670579a"}) as unknown as TypedDocumentString<CookieConsentQuery, CookieConsentQueryVariables>;
export const SetCookieConsentDocument = new TypedDocumentString(`
    mutation SetCookieConsent($input: SetCookieConsentInput!) {
  setCookieConsent(input: $input) {
    ...CookieConsentFields
  }
}
    fragment CookieConsentFields on CookieConsent {
  id
  visitorId
  policyVersion
  choices {
    category
    granted
  }
  globalPrivacyControl
  needsRenewal
  recordedAt
  expiresAt
  receipt
}`, {"hash":"sha256:c95d0e441e0839026db46c1bf664e707f64faec9e040959a79f6da65115abfb5"}) as unknown as TypedDocumentString<SetCookieConsentMutation, SetCookieConsentMutationVariables>;
export const WithdrawCookieConsentDocument = new TypedDocumentString(`
    mutation WithdrawCookieConsent($visitorId: String!) {
  withdrawCookieConsent(visitorId: $visitorId) {
    ...CookieConsentFields
  }
}
    fragment CookieConsentFields on CookieConsent {
  id
  visitorId
  policyVersion
  choices {
    category
    granted
  }
  globalPrivacyControl
  needsRenewal
  recordedAt
  expiresAt
  receipt
}`, {"hash":"sha256:def1ef855f95b30ee2ca93c74d6ad05f14cec33f1104b318662273ce9240aee2"}) as unknown as TypedDocumentString<WithdrawCookieConsentMutation, WithdrawCookieConsentMutationVariables>;
export const ExportMyDataDocument = new TypedDocumentString(`
    query ExportMyData($format: ExportFormat = JSON) {
  exportMyData(format: $format) {
    id
    format
    createdAt
    sizeBytes
    free
    content
  }
}
    `, {"hash":"sha256:02572e4449a4b77dbdc792a3c2b32d9739db3221275c4d147d53a5e903c955bb"}) as unknown as TypedDocumentString<ExportMyDataQuery, ExportMyDataQueryVariables>;
export const SubmitDataSubjectRequestDocument = new TypedDocumentString(`
    mutation SubmitDataSubjectRequest($input: SubmitDataSubjectRequestInput!) {
  submitDataSubjectRequest(input: $input) {
    id
    kind
    status
    submittedAt
    dueAt
  }
}
    `, {"hash":"sha256:5792488e3ce00edc51b571f4c710e0ca5158e64e218b946c818670aa917a9c50"}) as unknown as TypedDocumentString<SubmitDataSubjectRequestMutation, SubmitDataSubjectRequestMutationVariables>;
export const GrantSharingDocument = new TypedDocumentString(`
    mutation GrantSharing($input: GrantSharingInput!) {
  grantSharing(input: $input) {
    ...SharingGrantFields
  }
}
    fragment SharingGrantFields on SharingGrant {
  id
  scope
  status
  startsAt
  expiresAt
  historyFrom
  revokedAt
  inviteeEmail
  createdAt
  device {
    id
    name
  }
  owner {
    id
    displayName
  }
  grantee {
    id
    displayName
  }
}`, {"hash":"sha256:ef3c30d616aee36fa0e53c35e7f739f9902cbd25a2967bed29327535e9918205"}) as unknown as TypedDocumentString<GrantSharingMutation, GrantSharingMutationVariables>;
export const RevokeSharingDocument = new TypedDocumentString(`
    mutation RevokeSharing($grantId: ID!) {
  revokeSharing(grantId: $grantId) {
    ...SharingGrantFields
  }
}
    fragment SharingGrantFields on SharingGrant {
  id
  scope
  status
  startsAt
  expiresAt
  historyFrom
  revokedAt
  inviteeEmail
  createdAt
  device {
    id
    name
  }
  owner {
    id
    displayName
  }
  grantee {
    id
    displayName
  }
}`, {"hash":"sha256:5820c5dac0796c23e6c5cc49e2b09b6e46098c96bd486866fba4e202467d034e"}) as unknown as TypedDocumentString<RevokeSharingMutation, RevokeSharingMutationVariables>;
export const ReceivedSharingGrantsDocument = new TypedDocumentString(`
    query ReceivedSharingGrants($includeInactive: Boolean = false) {
  receivedSharingGrants(includeInactive: $includeInactive) {
    ...SharingGrantFields
  }
}
    fragment SharingGrantFields on SharingGrant {
  id
  scope
  status
  startsAt
  expiresAt
  historyFrom
  revokedAt
  inviteeEmail
  createdAt
  device {
    id
    name
  }
  owner {
    id
    displayName
  }
  grantee {
    id
    displayName
  }
}`, {"hash":"sha256:a8d3e35d182fb087468910ca451e454e84fb21264926f290b6aeb7d166b0a156"}) as unknown as TypedDocumentString<ReceivedSharingGrantsQuery, ReceivedSharingGrantsQueryVariables>;
export const DeviceSharingDocument = new TypedDocumentString(`
    query DeviceSharing($deviceId: ID!, $includeInactive: Boolean = false) {
  device(id: $deviceId) {
    id
    sharingGrants(includeInactive: $includeInactive) {
      ...SharingGrantFields
    }
    shareLinks(includeInactive: $includeInactive) {
      ...ShareLinkFields
    }
  }
}
    fragment SharingGrantFields on SharingGrant {
  id
  scope
  status
  startsAt
  expiresAt
  historyFrom
  revokedAt
  inviteeEmail
  createdAt
  device {
    id
    name
  }
  owner {
    id
    displayName
  }
  grantee {
    id
    displayName
  }
}
fragment ShareLinkFields on ShareLink {
  id
  scope
  status
  url
  expiresAt
  historyFrom
  revokedAt
  views
  createdAt
  device {
    id
  }
}`, {"hash":"sha256:8eb0e44d35387cd003bcb2fd3f592b615cb36501ca1caef9d05c8cf491e2e151"}) as unknown as TypedDocumentString<DeviceSharingQuery, DeviceSharingQueryVariables>;
export const CreateShareLinkDocument = new TypedDocumentString(`
    mutation CreateShareLink($input: CreateShareLinkInput!) {
  createShareLink(input: $input) {
    ...ShareLinkFields
  }
}
    fragment ShareLinkFields on ShareLink {
  id
  scope
  status
  url
  expiresAt
  historyFrom
  revokedAt
  views
  createdAt
  device {
    id
  }
}`, {"hash":"sha256:674b1c5cea356e34f253556c2a26220cded87cba35b11e64d5f9051b8b030275"}) as unknown as TypedDocumentString<CreateShareLinkMutation, CreateShareLinkMutationVariables>;
export const RevokeShareLinkDocument = new TypedDocumentString(`
    mutation RevokeShareLink($id: ID!) {
  revokeShareLink(id: $id) {
    ...ShareLinkFields
  }
}
    fragment ShareLinkFields on ShareLink {
  id
  scope
  status
  url
  expiresAt
  historyFrom
  revokedAt
  views
  createdAt
  device {
    id
  }
}`, {"hash":"sha256:3898efc82411408098edf00dd71356e473ef8f4a4d3ef769d81bafbcf6f3874f"}) as unknown as TypedDocumentString<RevokeShareLinkMutation, RevokeShareLinkMutationVariables>;
export const SharedLocationDocument = new TypedDocumentString(`
    query SharedLocation($token: String!) {
  sharedLocation(token: $token) {
    deviceName
    expiresAt
    lastLocation {
      latitude
      longitude
      accuracy
      speed
      heading
      recordedAt
    }
  }
}
    `, {"hash":"sha256:a7cef81b3f17023374512f6765194e6d48ef6cab97e01e4ebaf5c13daf6dbe0f"}) as unknown as TypedDocumentString<SharedLocationQuery, SharedLocationQueryVariables>;