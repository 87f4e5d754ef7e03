/**
 * What the scenarios run against: our server, the raw node-postgres
 * endpoints and PostGraphile, each with its statement counter.
 */
import type { TestServer } from '../helpers/server';
import type { PeerServer } from './postgraphile';
import type { RawServer } from './raw-server';

export interface Targets {
  ours: TestServer;
  raw: RawServer;
  rawStatements(): number;
  peer: PeerServer;
  peerStatements(): number;
}
