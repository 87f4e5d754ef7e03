/**
 * The controller (GDPR art. 13(1)(a)): who is responsible for the processing
 * and how to reach them, and the supervisory authority to complain to. Read
 * from CONTROLLER_* variables; the defaults are the facts of the customer's
 * privacy policy, so an install that sets nothing still tells the truth.
 */
export interface ControllerInfo {
  name: string;
  registrationNumber: string;
  address: string;
  privacyEmail: string;
  phone: string;
  supervisoryAuthority: { name: string; url: string };
}

export const CONTROLLER_DEFAULTS: ControllerInfo = {
  name: 'SIA "NIKA MI"',
  registrationNumber: '40003278804',
  address: 'Mārupes iela 4, Rīga, LV-1002, Latvija',
  privacyEmail: 'nikami@nikami.lv',
  phone: '+371 28601111',
  supervisoryAuthority: { name: 'Datu valsts inspekcija', url: 'https://www.dvi.gov.lv' },
};

/** Reads CONTROLLER_* (trimmed, empty = default); problems are appended for the configuration error. */
export function readControllerConfig(read: (name: string) => string | undefined, problems: string[]): ControllerInfo {
  const d = CONTROLLER_DEFAULTS;
  const info: ControllerInfo = {
    name: read('CONTROLLER_NAME') ?? d.name,
    registrationNumber: read('CONTROLLER_REGISTRATION_NUMBER') ?? d.registrationNumber,
    address: read('CONTROLLER_ADDRESS') ?? d.address,
    privacyEmail: read('CONTROLLER_PRIVACY_EMAIL') ?? d.privacyEmail,
    phone: read('CONTROLLER_PHONE') ?? d.phone,
    supervisoryAuthority: {
      name: read('CONTROLLER_SUPERVISORY_AUTHORITY_NAME') ?? d.supervisoryAuthority.name,
      url: read('CONTROLLER_SUPERVISORY_AUTHORITY_URL') ?? d.supervisoryAuthority.url,
    },
  };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(info.privacyEmail)) {
    problems.push(`CONTROLLER_PRIVACY_EMAIL must be an e-mail address (got "${info.privacyEmail}")`);
  }
  if (!/^\+?[0-9 ()-]{5,30}$/.test(info.phone))
    problems.push(`CONTROLLER_PHONE must be a phone number such as +371 28601111 (got "${info.phone}")`);
  try {
    if (!/^https?:$/.test(new URL(info.supervisoryAuthority.url).protocol)) throw new Error('protocol');
  } catch {
    problems.push(`CONTROLLER_SUPERVISORY_AUTHORITY_URL must be an http(s) URL (got "${info.supervisoryAuthority.url}")`);
  }
  return info;
}
