/**
 * Device protocols: lets the tracking apps customers already run (Traccar
 * Client, OsmAnd, OwnTracks, trackers speaking the OsmAnd protocol) send
 * locations over plain HTTP, authenticated by the device token, into the same
 * ingestion path as the recordLocations mutation. No GraphQL of its own; the
 * processing is the core LOCATION_TRACKING purpose. Settings for each app are
 * in docs/device-protocols.md.
 */
import { protocolSettings } from './config';
import { handleOsmAnd, handleOwnTracks } from './routes';
import { definePlugin } from '../../schema/plugin-api';

export const OSMAND_PATH = '/ingest/osmand';
export const OWNTRACKS_PATH = '/ingest/owntracks';

export default definePlugin({
  name: 'protocols',
  description: 'OsmAnd/Traccar Client and OwnTracks HTTP endpoints for devices, authenticated by the device token.',
  config: protocolSettings,
  routes: [
    // OsmAnd senders use GET or POST (query string, form or JSON); the server matches method and path exactly.
    { method: 'GET', path: OSMAND_PATH, handler: handleOsmAnd },
    { method: 'POST', path: OSMAND_PATH, handler: handleOsmAnd },
    { method: 'POST', path: OWNTRACKS_PATH, handler: handleOwnTracks },
  ],
});
