// The new path attributes through the sinks: jsonl keys validated against schema/record.schema.json, the
// human block (well-known community names, nested ATTR_SET), and line output fields. The UPDATE comes from
// the encoders in bench/lib/attrs.ts; expected texts are written by hand from the encoded values.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { UpdateMessage } from '../../src/bgp/model.js';
import { communityName } from '../../src/bgp/communities.js';
import { createFormatter } from '../../src/sink/index.js';
import { update, v4 } from '../../bench/lib/synth.js';
import { aigp, attrSet, attribute, clusterList, extCommunities, ipv6ExtCommunities, originatorId, otc, pmsiTunnel, prefixSid } from '../../bench/lib/attrs.js';
import { message } from '../sink/records.js';
import { AS4 } from './helpers.js';

const BYTES = update({
  nlri: [{ addr: v4('192.0.2.0'), len: 24 }],
  asPath: [65001],
  communities: [[65535, 666], [65001, 7], [65535, 65281]],
  extraAttributes: [
    originatorId('10.1.2.3'),
    clusterList(['10.0.0.1', '10.0.0.2']),
    extCommunities(['rt:65001:100', 'link-bandwidth:65000:125000']),
    ipv6ExtCommunities(['rt:2001:db8::1:100']),
    pmsiTunnel({ flags: 1, type: 6, labelField: 100 << 4, tunnelId: v4('198.51.100.7') }),
    aigp(2n ** 60n),
    otc(65001),
    prefixSid({ labelIndex: 5, srv6L3: [{ sid: '2001:db8::', behavior: 0x13, structure: [32, 16, 16, 0, 16, 48] }] }),
    attrSet(65009, [attribute(0x40, 5, Uint8Array.from([0, 0, 0, 44])), extCommunities(['soo:65009:1'])]),
    attribute(0xc0, 9, Uint8Array.from([1, 2, 3])), // ORIGINATOR_ID again, malformed: a duplicate is discarded first
  ],
});
const decoded = decodeMessage(BYTES, AS4);
const M = decoded.msg as UpdateMessage;
const REC = message(M, { length: BYTES.length });

const schema = JSON.parse(readFileSync(new URL('../../schema/record.schema.json', import.meta.url), 'utf8')) as { $id: string };
const ajv = new Ajv2020({ allErrors: true, strictTypes: true, strictTuples: true });
ajv.addSchema(schema);
const def = (name: string) => ajv.getSchema(`${schema.$id}#/$defs/${name}`)!;

const ATTRIBUTE_KEYS = ['originator_id', 'cluster_list', 'ext_communities', 'ipv6_ext_communities', 'aigp', 'otc', 'pmsi_tunnel', 'prefix_sid', 'attr_set'];

describe('jsonl', () => {
  const msg = JSON.parse(createFormatter({ format: 'jsonl', level: 'msg' }).format(REC)) as Record<string, unknown>;
  const elem = JSON.parse(createFormatter({ format: 'jsonl', level: 'elem' }).format(REC).trimEnd()) as Record<string, unknown>;

  it('message and elem records carry the attribute keys, which validate against the schema', () => {
    expect(decoded.error).toBeNull();
    for (const rec of [msg, elem]) {
      const picked = Object.fromEntries(ATTRIBUTE_KEYS.map((k) => [k, rec[k]]));
      const v = def('attributes');
      expect(v(picked), ajv.errorsText(v.errors)).toBe(true);
    }
    expect(msg['bgpsec_path']).toBeNull();
    expect(elem).not.toHaveProperty('bgpsec_path'); // message level only, like other_attributes
  });

  it('values as encoded', () => {
    expect(msg).toMatchObject({
      communities: ['65535:666', '65001:7', '65535:65281'], // numeric in JSON, like RIS Live and bgpkit
      originator_id: '10.1.2.3',
      cluster_list: ['10.0.0.1', '10.0.0.2'],
      ext_communities: ['rt:65001:100', 'link-bandwidth:65000:125000'],
      ipv6_ext_communities: ['rt:2001:db8::1:100'],
      otc: 65001,
      pmsi_tunnel: { flags: 1, leaf_info_required: true, tunnel_type: 6, tunnel_type_name: 'INGRESS_REPLICATION', label: 100, label_raw: 1600, tunnel_id: '198.51.100.7' },
      prefix_sid: { label_index: 5, srgb: null, srv6_l3_service: [{ sid: '2001:db8::', flags: 0, behavior: 19, structure: { lb: 32, ln: 16, fun: 16, arg: 0, tpos_len: 16, tpos_offset: 48 } }], srv6_l2_service: null, other_tlvs: [] },
    });
    expect(msg['attr_set']).toMatchObject({ origin_as: 65009, local_pref: 44, ext_communities: ['soo:65009:1'], as_path: null, attr_set: null, other_attributes: [] });
  });

  it('AIGP above 2^53 is written as an exact JSON integer', () => {
    expect(createFormatter({ format: 'jsonl', level: 'msg' }).format(REC)).toContain('"aigp":1152921504606846976,');
  });

  it('warnings carry action, attr_code and hex, and validate', () => {
    const w = msg['warnings'] as Record<string, unknown>[];
    expect(w).toEqual([
      {
        code: 'attribute_duplicate',
        message: expect.stringContaining('RFC 7606 §3(g)'),
        offset: expect.any(Number),
        action: 'attribute-discard',
        attr_code: 9,
        hex: 'c00903010203',
      },
    ]);
    const v = def('warning');
    for (const x of w) expect(v(x), ajv.errorsText(v.errors)).toBe(true);
  });
});

describe('human', () => {
  const text = createFormatter({ format: 'human', level: 'msg' }).format(REC);

  it('names well-known communities, keeps the numbers', () => {
    expect(text).toContain('  communities: 65535:666(BLACKHOLE) 65001:7 65535:65281(NO_EXPORT)\n');
    expect(communityName('65535:0')).toBe('GRACEFUL_SHUTDOWN');
    expect(communityName('65535:6')).toBe('LLGR_STALE');
    expect(communityName('65535:65284')).toBe('NOPEER');
    expect(communityName('65534:666')).toBeUndefined();
  });

  it('one line per attribute, ATTR_SET nested, warnings with their action', () => {
    for (const line of [
      '  originator id: 10.1.2.3\n',
      '  cluster list: 10.0.0.1 10.0.0.2\n',
      '  extended communities: rt:65001:100 link-bandwidth:65000:125000\n',
      '  ipv6 extended communities: rt:2001:db8::1:100\n',
      '  aigp: 1152921504606846976\n',
      '  only to customer: AS65001\n',
      '  pmsi tunnel: INGRESS_REPLICATION (6) label 100 (field 1600) tunnel id 198.51.100.7, leaf info required\n',
      '  prefix sid: label index 5; srv6 l3 service: sid 2001:db8:: behavior 0x0013 structure 32/16/16/0 transposition 16@48\n',
      '  attr set: origin AS65009\n    local pref: 44\n    extended communities: soo:65009:1\n',
      '  warning attribute_duplicate at offset',
      '[attribute-discard, ORIGINATOR_ID]',
    ]) {
      expect(text).toContain(line);
    }
  });
});

describe('line', () => {
  it('--fields with the new attributes: lists space-separated, objects as compact JSON', () => {
    const f = createFormatter({ format: 'line', level: 'elem', fields: ['prefix', 'ext_communities', 'cluster_list', 'otc', 'aigp', 'pmsi_tunnel'] });
    expect(f.format(REC)).toBe(
      '192.0.2.0/24|rt:65001:100 link-bandwidth:65000:125000|10.0.0.1 10.0.0.2|65001|1152921504606846976|' +
        '{"flags":1,"leaf_info_required":true,"tunnel_type":6,"tunnel_type_name":"INGRESS_REPLICATION","label":100,"label_raw":1600,"tunnel_id":"198.51.100.7"}\n',
    );
  });
});
