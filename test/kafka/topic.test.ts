// Topic templates and consumer patterns (src/kafka/topic.ts); Kafka's legal topic characters are
// [a-zA-Z0-9._-], at most 249 (org.apache.kafka.common.internals.Topic).
import { describe, expect, it } from 'vitest';
import type { BgpRecord } from '../../src/record.js';
import { sessionKey } from '../../src/kafka/sink.js';
import { compileTopicPattern, compileTopicTemplate, topicMatches } from '../../src/kafka/topic.js';
import { UsageError } from '../../src/errors.js';

function rec(over: Partial<Record<string, unknown>>): BgpRecord {
  return {
    kind: 'message', ts: { sec: 1, nsec: 0 }, frame: 1, file: 'a.pcap', iface: 'tap5', mux: 'amsterdam01',
    peer_ip: '2001:db8::1', peer_asn: 47065, local_ip: '2001:db8::2', local_asn: null, src_port: 179, dst_port: 40001,
    msg_type: 2, length: 23, msg: null, error: null, raw: new Uint8Array(0), inferred: null, ...over,
  } as BgpRecord;
}

describe('topic templates', () => {
  it('fills fields with their line text; illegal characters become _, empty values none', () => {
    const t = compileTopicTemplate('bgp.{mux}.{peer_asn}.{msg_type}.{local_asn}.{peer_ip}.{host}', 'cap one');
    expect(t.constant).toBeNull();
    expect(t.render(rec({}))).toBe('bgp.amsterdam01.47065.UPDATE.none.2001_db8__1.cap_one');
    expect(t.render(rec({ msg_type: 9 }))).toContain('.MSG_9.');
  });

  it('a name without placeholders is constant', () => {
    expect(compileTopicTemplate('bgp-all', 'h').constant).toBe('bgp-all');
  });

  it('mistakes are usage errors', () => {
    expect(() => compileTopicTemplate('bgp.{prefix}', 'h')).toThrow(/unknown field \{prefix\}/);
    expect(() => compileTopicTemplate('bgp.{mux', 'h')).toThrow(UsageError);
    expect(() => compileTopicTemplate('bgp/x', 'h')).toThrow(/allow only letters/);
    expect(() => compileTopicTemplate('x'.repeat(250), 'h')).toThrow(/not a valid topic name/);
  });
});

describe('consumer patterns', () => {
  it('names, globs, templates and regular expressions', () => {
    const p = compileTopicPattern('exact,bgp.*,peer.{peer_asn}.x,/^re[0-9]+$/');
    for (const t of ['exact', 'bgp.', 'bgp.amsterdam01', 'peer.47065.x', 're42']) expect(topicMatches(p, t), t).toBe(true);
    for (const t of ['exact2', 'xbgp.a', 'peer..x', 'peer.1.y', 're']) expect(topicMatches(p, t), t).toBe(false);
  });
  it('mistakes are usage errors', () => {
    expect(() => compileTopicPattern(' , ')).toThrow(/empty/);
    expect(() => compileTopicPattern('/(/')).toThrow(UsageError);
    expect(() => compileTopicPattern('a b')).toThrow(/allow only/);
  });
});

describe('session key', () => {
  it('the same for both directions, lower endpoint first, IPv6 in brackets', () => {
    const a = rec({});
    const b = rec({ peer_ip: '2001:db8::2', local_ip: '2001:db8::1', src_port: 40001, dst_port: 179 });
    expect(sessionKey(a)).toBe('[2001:db8::1]:179 [2001:db8::2]:40001');
    expect(sessionKey(b)).toBe(sessionKey(a));
    expect(sessionKey(rec({ peer_ip: '192.0.2.9', local_ip: '192.0.2.1', src_port: 1, dst_port: 179 }))).toBe('192.0.2.1:179 192.0.2.9:1');
    expect(sessionKey(rec({ peer_ip: null }))).toBeNull();
  });
});
