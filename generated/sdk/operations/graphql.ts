/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AccountStatus =
  | 'ACTIVE'
  /** Processing restricted at the data subject's request (GDPR art. 18). */
  | 'RESTRICTED'
  /** Erasure requested or inactivity limit reached; deleted at scheduledDeletionAt. */
  | 'SCHEDULED_FOR_DELETION';

export type Locale =
  | 'EN'
  | 'LV'
  | 'RU';

export type LoginInput = {
  email: string;
  password: string;
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
  | 'ADMIN'
  | 'CUSTOMER'
  | 'DPO'
  | 'MARKETING'
  | 'SUPPORT';

export type UpdateProfileInput = {
  address?: string | null | undefined;
  familyName?: string | null | undefined;
  givenName?: string | null | undefined;
  iban?: string | null | undefined;
  locale?: Locale | null | undefined;
  personalCode?: string | null | undefined;
  phone?: string | null | undefined;
};

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
}`) as unknown as TypedDocumentString<RegisterMutation, RegisterMutationVariables>;
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
}`) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    accessToken
    accessTokenExpiresAt
    refreshToken
  }
}
    `) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
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
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
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
}`) as unknown as TypedDocumentString<UpdateProfileMutation, UpdateProfileMutationVariables>;