import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, type PayloadKey } from './payload-codec';

type TemporalConfig = { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string; PAYLOAD_KEYS: PayloadKey[] };

/** The one data converter of every client and worker: payloads leave the process encrypted. */
export function temporalDataConverter(config: Pick<TemporalConfig, 'PAYLOAD_KEYS'>): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(config.PAYLOAD_KEYS)] };
}

/** A Temporal client with the codec: the API, the bot, the worker's schedule set-up and operators' scripts use it. */
export async function connectTemporalClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: temporalDataConverter(config) });
}
