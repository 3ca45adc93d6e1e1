/** Words of one 32-byte ORB descriptor seen as Uint32. */
const WORDS = 8;

/** Set bits of a 32-bit word (SWAR): faster here than a call into OpenCV's wasm per pair. */
function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The descriptors as Uint32 words, without a copy when the bytes are aligned. */
export function descriptorWords(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  return new Uint32Array(bytes.slice().buffer);
}

/**
 * Lowe's ratio test over brute-force Hamming distances: for each query descriptor, its nearest candidate
 * descriptor when clearly nearer than the second. Returns pairs [queryIndex, candidateIndex, ...].
 */
export function ratioMatches(query: Uint32Array, candidate: Uint32Array, ratio: number): Int32Array {
  const queryCount = query.length / WORDS;
  const candidateCount = candidate.length / WORDS;
  const pairs = new Int32Array(queryCount * 2);
  let found = 0;
  for (let q = 0; q < queryCount; q++) {
    const at = q * WORDS;
    const q0 = query[at],
      q1 = query[at + 1],
      q2 = query[at + 2],
      q3 = query[at + 3],
      q4 = query[at + 4],
      q5 = query[at + 5],
      q6 = query[at + 6],
      q7 = query[at + 7];
    let best = 257;
    let second = 257;
    let bestIndex = -1;
    for (let c = 0, ct = 0; c < candidateCount; c++, ct += WORDS) {
      const d =
        popcount(q0 ^ candidate[ct]) +
        popcount(q1 ^ candidate[ct + 1]) +
        popcount(q2 ^ candidate[ct + 2]) +
        popcount(q3 ^ candidate[ct + 3]) +
        popcount(q4 ^ candidate[ct + 4]) +
        popcount(q5 ^ candidate[ct + 5]) +
        popcount(q6 ^ candidate[ct + 6]) +
        popcount(q7 ^ candidate[ct + 7]);
      if (d < best) {
        second = best;
        best = d;
        bestIndex = c;
      } else if (d < second) second = d;
    }
    if (bestIndex >= 0 && second <= 256 && best < ratio * second) {
      pairs[found++] = q;
      pairs[found++] = bestIndex;
    }
  }
  return pairs.subarray(0, found);
}
