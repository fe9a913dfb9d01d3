// Group coordination for the test broker: the classic (pre-KIP-848) protocol that kafkajs's consumer and
// librdkafka's high-level consumer speak — JoinGroup / SyncGroup / Heartbeat / LeaveGroup — and committed
// offsets (OffsetCommit / OffsetFetch). https://cwiki.apache.org/confluence/display/KAFKA/Kafka+Client-side+Assignment+Proposal
//
// States as in the Java GroupCoordinator: Empty → PreparingRebalance (waiting for every known member to
// (re)join, at most the rebalance timeout) → CompletingRebalance (waiting for the leader's SyncGroup) →
// Stable. Members that stop heartbeating for their session timeout are removed. Metadata and assignments are
// opaque bytes here: the clients' assignor (the group leader) computes them.

export const ERR = {
  NONE: 0,
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  INCONSISTENT_GROUP_PROTOCOL: 23,
} as const;

export interface JoinResult {
  error: number;
  generation: number;
  protocol: string;
  leader: string;
  memberId: string;
  members: { id: string; metadata: Uint8Array }[];
}

interface Member {
  id: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Uint8Array }[];
  lastSeen: number;
  join: ((r: JoinResult) => void) | null;
  sync: ((r: { error: number; assignment: Uint8Array }) => void) | null;
  assignment: Uint8Array;
}

export class Group {
  state: 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' = 'Empty';
  generation = 0;
  protocolType = '';
  protocol = '';
  leader = '';
  readonly members = new Map<string, Member>();
  /** Committed offsets: "topic\0partition" → offset and metadata. */
  readonly offsets = new Map<string, { offset: bigint; metadata: string | null }>();
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  /** Ids handed out with MEMBER_ID_REQUIRED (JoinGroup v4+), not yet joined. */
  private readonly pending = new Set<string>();

  constructor(
    readonly id: string,
    private readonly maxJoinWaitMs: number,
  ) {}

  /** A member id for a new member (KIP-394): it joins again with this id. */
  newMemberId(clientId: string): string {
    const id = `${clientId}-${++this.seq}-${Math.random().toString(16).slice(2, 10)}`;
    this.pending.add(id);
    return id;
  }

  join(
    memberId: string,
    clientId: string,
    sessionTimeoutMs: number,
    rebalanceTimeoutMs: number,
    protocolType: string,
    protocols: { name: string; metadata: Uint8Array }[],
  ): Promise<JoinResult> {
    const fail = (error: number): Promise<JoinResult> =>
      Promise.resolve({ error, generation: -1, protocol: '', leader: '', memberId, members: [] });
    if (memberId !== '' && !this.members.has(memberId) && !this.pending.has(memberId)) return fail(ERR.UNKNOWN_MEMBER_ID);
    if (this.members.size > 0 && protocolType !== this.protocolType) return fail(ERR.INCONSISTENT_GROUP_PROTOCOL);
    this.protocolType = protocolType;
    let m = memberId === '' ? undefined : this.members.get(memberId);
    if (m === undefined) {
      const id = memberId !== '' ? memberId : `${clientId}-${++this.seq}-${Math.random().toString(16).slice(2, 10)}`;
      this.pending.delete(id);
      m = {
        id,
        sessionTimeoutMs,
        rebalanceTimeoutMs,
        protocols,
        lastSeen: Date.now(),
        join: null,
        sync: null,
        assignment: new Uint8Array(0),
      };
      this.members.set(m.id, m);
    }
    m.protocols = protocols;
    m.sessionTimeoutMs = sessionTimeoutMs;
    m.rebalanceTimeoutMs = rebalanceTimeoutMs;
    m.lastSeen = Date.now();
    const member = m;
    const p = new Promise<JoinResult>((resolve) => {
      member.join = resolve;
    });
    this.prepareRebalance();
    this.maybeCompleteJoin();
    return p;
  }

  sync(memberId: string, generation: number, assignments: { id: string; assignment: Uint8Array }[]): Promise<{ error: number; assignment: Uint8Array }> {
    const m = this.members.get(memberId);
    if (m === undefined) return Promise.resolve({ error: ERR.UNKNOWN_MEMBER_ID, assignment: new Uint8Array(0) });
    if (generation !== this.generation) return Promise.resolve({ error: ERR.ILLEGAL_GENERATION, assignment: new Uint8Array(0) });
    if (this.state === 'PreparingRebalance') return Promise.resolve({ error: ERR.REBALANCE_IN_PROGRESS, assignment: new Uint8Array(0) });
    m.lastSeen = Date.now();
    if (this.state === 'Stable') return Promise.resolve({ error: ERR.NONE, assignment: m.assignment });
    const p = new Promise<{ error: number; assignment: Uint8Array }>((resolve) => {
      m.sync = resolve;
    });
    if (memberId === this.leader) {
      for (const x of this.members.values()) x.assignment = new Uint8Array(0);
      for (const a of assignments) {
        const x = this.members.get(a.id);
        if (x !== undefined) x.assignment = a.assignment;
      }
      this.state = 'Stable';
      for (const x of this.members.values()) {
        const s = x.sync;
        x.sync = null;
        s?.({ error: ERR.NONE, assignment: x.assignment });
      }
    }
    return p;
  }

  heartbeat(memberId: string, generation: number): number {
    const m = this.members.get(memberId);
    if (m === undefined) return ERR.UNKNOWN_MEMBER_ID;
    m.lastSeen = Date.now();
    if (this.state === 'PreparingRebalance') return ERR.REBALANCE_IN_PROGRESS;
    if (generation !== this.generation) return ERR.ILLEGAL_GENERATION;
    return ERR.NONE;
  }

  leave(memberId: string): number {
    const m = this.members.get(memberId);
    if (m === undefined) return ERR.UNKNOWN_MEMBER_ID;
    this.remove(m);
    return ERR.NONE;
  }

  /** Generation check of OffsetCommit: -1 is a commit from outside the group (admin, simple consumer). */
  commitError(memberId: string, generation: number): number {
    if (generation < 0) return ERR.NONE;
    if (!this.members.has(memberId)) return ERR.UNKNOWN_MEMBER_ID;
    if (generation !== this.generation) return ERR.ILLEGAL_GENERATION;
    return ERR.NONE;
  }

  /** Remove members whose session timed out (called periodically by the broker). */
  expire(now: number): void {
    for (const m of [...this.members.values()]) {
      if (m.join === null && now - m.lastSeen > m.sessionTimeoutMs) this.remove(m);
    }
  }

  /** The broker restarted: members must join again (committed offsets are kept, as Kafka keeps them). */
  reset(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.members.clear();
    this.state = 'Empty';
    this.leader = '';
  }

  private remove(m: Member): void {
    this.members.delete(m.id);
    m.sync?.({ error: ERR.UNKNOWN_MEMBER_ID, assignment: new Uint8Array(0) });
    m.sync = null;
    if (this.members.size === 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.state = 'Empty';
      this.leader = '';
      return;
    }
    this.prepareRebalance();
    this.maybeCompleteJoin();
  }

  private prepareRebalance(): void {
    if (this.state === 'PreparingRebalance') return;
    // Members waiting for a SyncGroup answer learn that the rebalance started over.
    for (const x of this.members.values()) {
      const s = x.sync;
      x.sync = null;
      s?.({ error: ERR.REBALANCE_IN_PROGRESS, assignment: new Uint8Array(0) });
    }
    this.state = 'PreparingRebalance';
    let wait = 0;
    for (const x of this.members.values()) wait = Math.max(wait, x.rebalanceTimeoutMs);
    this.timer = setTimeout(() => this.joinTimeout(), Math.min(wait, this.maxJoinWaitMs));
  }

  private joinTimeout(): void {
    this.timer = null;
    for (const m of [...this.members.values()]) if (m.join === null) this.members.delete(m.id);
    this.maybeCompleteJoin(true);
  }

  private maybeCompleteJoin(force = false): void {
    if (this.state !== 'PreparingRebalance') return;
    const all = [...this.members.values()];
    if (all.length === 0) {
      this.state = 'Empty';
      return;
    }
    if (!force && all.some((m) => m.join === null)) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const joined = all.filter((m) => m.join !== null);
    this.generation++;
    if (!this.members.has(this.leader) || this.members.get(this.leader)!.join === null) this.leader = joined[0]!.id;
    // The first protocol of the leader that every member supports (Kafka votes; one assignor here in practice).
    const names = this.members.get(this.leader)!.protocols.map((p) => p.name);
    this.protocol = names.find((n) => joined.every((m) => m.protocols.some((p) => p.name === n))) ?? names[0] ?? '';
    this.state = 'CompletingRebalance';
    for (const m of joined) {
      const resolve = m.join!;
      m.join = null;
      resolve({
        error: ERR.NONE,
        generation: this.generation,
        protocol: this.protocol,
        leader: this.leader,
        memberId: m.id,
        members:
          m.id === this.leader
            ? joined.map((x) => ({ id: x.id, metadata: x.protocols.find((p) => p.name === this.protocol)?.metadata ?? new Uint8Array(0) }))
            : [],
      });
    }
  }
}
