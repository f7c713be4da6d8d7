/** Types of what the tests use from wire.js (the agent side of the benchmark uses the rest from JS). */
/** SHA-256 (hex) of the stream a client receives from `messages` frames of the sender's ring. */
export function expectedStreamHash(messages: number, payloadSize: number, ringFrames: number): string;
