/**
 * Device protocols: lets the tracking apps customers already run (Traccar
 * Client, OsmAnd, OwnTracks, GPSLogger, Overland, trackers speaking the OsmAnd protocol) send
 * locations over plain HTTP, authenticated by the device token, into the same
 * ingestion path as the recordLocations mutation. No GraphQL of its own; the
 * processing is the core LOCATION_TRACKING purpose. Settings for each app are
 * in docs/device-protocols.md.
 */
import { protocolSettings } from './config';
import { handleGpsLogger, handleOsmAnd, handleOverland, handleOwnTracks } from './routes';
import { rejectedFixesExport, rejectedFixesPurger } from './quarantine';
import { addProtocolsSchema } from './schema';
import { protocolRules } from './rules';
import { protocolPersonalData, protocolPurposes } from './purposes';
import { addExportContributor, definePlugin } from '../../schema/plugin-api';

export const OSMAND_PATH = '/ingest/osmand';
export const OWNTRACKS_PATH = '/ingest/owntracks';
export const GPSLOGGER_PATH = '/ingest/gpslogger';
export const OVERLAND_PATH = '/ingest/overland';

export default definePlugin({
  name: 'protocols',
  description:
    'OsmAnd/Traccar Client, OwnTracks, GPSLogger and Overland HTTP endpoints for devices (device token), with a quarantine of refused fixes.',
  models: ['RejectedFix'],
  config: protocolSettings,
  schema: (builder) => addProtocolsSchema(builder),
  rules: protocolRules,
  purposes: protocolPurposes,
  personalData: protocolPersonalData,
  setup(app) {
    app.extensions.retentionPurgers.push(rejectedFixesPurger);
    addExportContributor(app, rejectedFixesExport);
  },
  routes: [
    // OsmAnd senders use GET or POST (query string, form or JSON); the server matches method and path exactly.
    { method: 'GET', path: OSMAND_PATH, handler: handleOsmAnd },
    { method: 'POST', path: OSMAND_PATH, handler: handleOsmAnd },
    { method: 'POST', path: OWNTRACKS_PATH, handler: handleOwnTracks },
    { method: 'GET', path: GPSLOGGER_PATH, handler: handleGpsLogger },
    { method: 'POST', path: GPSLOGGER_PATH, handler: handleGpsLogger },
    { method: 'POST', path: OVERLAND_PATH, handler: handleOverland },
  ],
});
