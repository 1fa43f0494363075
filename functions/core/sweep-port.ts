// Where the catch-up sweep resumes. One pass walks the listed conversations in id order; when a run's budget ends
// it early, the next run goes on after the last conversation it handled (spec §7, issue 13 item 6).

export interface SweepPosition {
  /** Conversations up to this id were handled in the current pass; 0 starts a new pass. */
  afterConversationId: number;
}

/** The sweep's one item in the mapping table. */
export interface SweepStore {
  readPosition(): Promise<SweepPosition | undefined>;
  savePosition(position: SweepPosition): Promise<void>;
}
