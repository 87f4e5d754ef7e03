/** The public `controller` query: who is responsible for the processing, and where to complain (GDPR art. 13(1)(a), 77). */
import type { Builder } from '../builder';
import type { ControllerInfo } from '../../api/consent/controller';

export function addControllerTypes(builder: Builder) {
  const SupervisoryAuthority = builder.objectRef<ControllerInfo['supervisoryAuthority']>('SupervisoryAuthority').implement({
    description: 'Where a person may lodge a complaint about the processing (GDPR art. 77).',
    fields: (t) => ({ name: t.exposeString('name'), url: t.exposeString('url') }),
  });
  const Controller = builder.objectRef<ControllerInfo>('Controller').implement({
    description: "The controller of the personal data (from CONTROLLER_* configuration; defaults are the privacy policy's facts).",
    fields: (t) => ({
      name: t.exposeString('name'),
      registrationNumber: t.exposeString('registrationNumber'),
      address: t.exposeString('address'),
      privacyEmail: t.exposeString('privacyEmail', { description: 'For questions and requests about personal data.' }),
      phone: t.exposeString('phone'),
      supervisoryAuthority: t.field({ type: SupervisoryAuthority, resolve: (c) => c.supervisoryAuthority }),
    }),
  });
  builder.queryField('controller', (t) =>
    t.field({
      type: Controller,
      description: 'Public: the controller and the supervisory authority.',
      resolve: (_r, _a, ctx) => ctx.app.config.controller,
    }),
  );
}
