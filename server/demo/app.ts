/**
 * The live-dashboard demo: signs in as a demo customer, lists their own and
 * shared devices with recent trails, and moves them live through the SDK's
 * subscription client (graphql-ws). Bundled for the browser by api/demo.ts.
 */
import { createClient, isSdkError, LiveMapDevicesDocument, LocationUpdatedDocument, type LiveMapDevicesQuery } from '../../generated/sdk';
import { renderMap, type MapDevice, type MapPoint } from './map';

const TRAIL_LENGTH = 200;
const COLORS = ['#d7263d', '#1b998b', '#2e86ab', '#f49d37', '#6a4c93', '#3f88c5', '#8a9b0f', '#c2185b'];

type OwnDevice = LiveMapDevicesQuery['devices']['edges'][number]['node'];
type SharedDevice = LiveMapDevicesQuery['sharedDevices']['edges'][number]['node'];
interface ShownDevice extends MapDevice {
  sharedBy: string | null;
}

const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;
const status = (text: string) => ($<HTMLElement>('#status').textContent = text);

const client = createClient({ url: new URL('/graphql', location.href).href });
const devices = new Map<string, ShownDevice>();

function addDevice(node: OwnDevice | SharedDevice, sharedBy: string | null) {
  const points: MapPoint[] = 'locations' in node ? node.locations.edges.map((e) => e.node).reverse() : [];
  if (node.lastLocation && !points.some((p) => p.recordedAt === node.lastLocation!.recordedAt)) points.push(node.lastLocation);
  devices.set(node.id, { id: node.id, name: node.name, color: COLORS[devices.size % COLORS.length], points, sharedBy });
}

function render() {
  const shown = [...devices.values()];
  renderMap($<SVGSVGElement>('#map'), shown);
  $<HTMLUListElement>('#devices').replaceChildren(
    ...shown.map((d) => {
      const li = document.createElement('li');
      li.dataset.deviceId = d.id;
      li.style.borderLeftColor = d.color;
      const last = d.points.at(-1);
      li.innerHTML = '<strong></strong> <span class="shared"></span><br><span class="where"></span>';
      li.querySelector('strong')!.textContent = d.name;
      li.querySelector('.shared')!.textContent = d.sharedBy ? `shared by ${d.sharedBy}` : '';
      li.querySelector('.where')!.textContent = last
        ? `${last.latitude.toFixed(5)}, ${last.longitude.toFixed(5)} at ${new Date(last.recordedAt).toLocaleTimeString()}`
        : 'no position yet';
      return li;
    }),
  );
}

async function watchLive() {
  status(`Live: ${devices.size} device(s)`);
  try {
    for await (const { locationUpdated: point } of client.subscribe(LocationUpdatedDocument, {})) {
      let device = devices.get(point.device.id);
      if (!device) {
        // A device added (or shared with us) after the page loaded.
        device = { id: point.device.id, name: point.device.name, color: COLORS[devices.size % COLORS.length], points: [], sharedBy: null };
        devices.set(device.id, device);
      }
      device.points = [...device.points.filter((p) => p.recordedAt !== point.recordedAt), point]
        .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))
        .slice(-TRAIL_LENGTH);
      render();
    }
    status('Live updates ended.');
  } catch (e) {
    status(isSdkError(e) ? `Live updates stopped: ${e.code}` : 'Live updates stopped.');
  }
}

async function start(email: string, password: string) {
  status('Signing in…');
  try {
    await client.signIn({ email, password });
    const data = await client.request(LiveMapDevicesDocument, { first: 50, trail: 50 });
    devices.clear();
    for (const { node } of data.devices.edges) addDevice(node, null);
    for (const { node } of data.sharedDevices.edges) addDevice(node, node.owner.displayName);
    render();
    void watchLive();
  } catch (e) {
    status(isSdkError(e) ? `Could not load: ${e.code} ${e.message}` : 'Could not load.');
  }
}

const form = $<HTMLFormElement>('#sign-in');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  void start(String(fields.get('email')), String(fields.get('password')));
});
// The demo signs in as the seeded demo customer straight away (the form is prefilled by the server).
const prefilled = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value !== '';
if (prefilled('email') && prefilled('password')) form.requestSubmit();
