// docs/examples/sdk-quickstart.ts (run: API_URL=… EMAIL=… PASSWORD=… npx tsx docs/examples/sdk-quickstart.ts)
import {
  createClient,
  isSdkError,
  LocationHistoryDocument,
  LocationUpdatedDocument,
  MyDevicesDocument,
  type LocationHistoryQuery,
} from 'location-platform/sdk';

const client = createClient({
  url: process.env.API_URL ?? 'http://localhost:4000/graphql',
  onTokens: (tokens) => console.log(tokens ? 'session renewed' : 'signed out'), // persist tokens here
});
await client.signIn({ email: process.env.EMAIL!, password: process.env.PASSWORD! });

// List devices, then page through the newest device's history, 100 points at a time.
const { devices } = await client.request(MyDevicesDocument, { first: 20 });
for (const { node } of devices.edges) console.log(node.name, node.lastLocation?.recordedAt ?? 'no fix yet');
const deviceId = devices.edges[0].node.id;
let after: string | null | undefined = null;
let points = 0;
do {
  const { device }: LocationHistoryQuery = await client.request(LocationHistoryDocument, { deviceId, first: 100, after });
  points += device!.locations.edges.length;
  after = device!.locations.pageInfo.hasNextPage ? device!.locations.pageInfo.endCursor : null;
} while (after);
console.log(`${points} points in the history`);

// Follow live fixes of every device I own or may see; stop after the first one.
try {
  for await (const { locationUpdated } of client.subscribe(LocationUpdatedDocument, {})) {
    console.log('live', locationUpdated.device.name, locationUpdated.latitude, locationUpdated.longitude);
    break;
  }
} catch (e) {
  if (isSdkError(e))
    console.error(e.code, e.message); // e.g. FORBIDDEN when a grant ends
  else throw e;
}
await client.close();
