/** Global ids of the communication plugin's objects (one encoder per type, decoded with requireId). */
import { encodeGlobalID } from '@pothos/plugin-relay';

export const inquiryGlobalId = (id: string) => encodeGlobalID('Inquiry', id);
export const complaintGlobalId = (id: string) => encodeGlobalID('Complaint', id);
export const surveyGlobalId = (id: string) => encodeGlobalID('Survey', id);
