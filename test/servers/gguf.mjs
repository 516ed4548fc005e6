// Writes a tiny GGUF v3 model that llama-server loads in under a second: llama architecture, one layer, a
// SentencePiece-style vocabulary (3 specials, 256 byte tokens, a few words), zero attention/FFN weights, one-hot
// embeddings and an output matrix that maps each token to a fixed successor. Whatever the prompt, the answer is
// " Hello from llama." repeated until max_tokens, so the server's own max_tokens handling (finish "length") is real.
import fs from 'node:fs';

/** The trained context length the model declares (llama.context_length → /v1/models meta.n_ctx_train). */
export const N_CTX_TRAIN = 2048;
export const SENTENCE = ['▁Hello', '▁from', '▁llama', '.'];

const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 };
const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 };
const ALIGN = 32;

class Writer {
  chunks = [];
  size = 0;
  push(buf) {
    this.chunks.push(buf);
    this.size += buf.length;
  }
  u32(n) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s) {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad() {
    const n = (ALIGN - (this.size % ALIGN)) % ALIGN;
    if (n) this.push(Buffer.alloc(n));
  }
}

function vocabulary() {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [TOKEN_TYPE.UNKNOWN, TOKEN_TYPE.CONTROL, TOKEN_TYPE.CONTROL];
  for (let i = 0; i < 256; i++) {
    tokens.push(`<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.BYTE);
  }
  for (const w of SENTENCE) {
    tokens.push(w);
    types.push(TOKEN_TYPE.NORMAL);
  }
  return { tokens, types };
}

export function writeTinyModel(file) {
  const { tokens, types } = vocabulary();
  const nVocab = tokens.length;
  // One-hot embeddings need n_embd ≥ n_vocab; a multiple of the head count.
  const nHead = 4;
  const nEmbd = Math.ceil(nVocab / (nHead * 8)) * nHead * 8;
  const nFf = 32;
  const first = tokens.indexOf(SENTENCE[0]);
  const next = (i) => {
    const k = SENTENCE.indexOf(tokens[i]);
    return k >= 0 ? tokens.indexOf(SENTENCE[(k + 1) % SENTENCE.length]) : first;
  };

  const kv = [
    ['general.architecture', T.STRING, 'llama'],
    ['general.name', T.STRING, 'lengthwise-tiny'],
    ['general.alignment', T.UINT32, ALIGN],
    ['llama.context_length', T.UINT32, N_CTX_TRAIN],
    ['llama.embedding_length', T.UINT32, nEmbd],
    ['llama.block_count', T.UINT32, 1],
    ['llama.feed_forward_length', T.UINT32, nFf],
    ['llama.attention.head_count', T.UINT32, nHead],
    ['llama.attention.head_count_kv', T.UINT32, nHead],
    ['llama.rope.dimension_count', T.UINT32, nEmbd / nHead],
    ['llama.attention.layer_norm_rms_epsilon', T.FLOAT32, 1e-5],
    ['llama.vocab_size', T.UINT32, nVocab],
    ['tokenizer.ggml.model', T.STRING, 'llama'],
    ['tokenizer.ggml.tokens', T.ARRAY, { type: T.STRING, values: tokens }],
    ['tokenizer.ggml.scores', T.ARRAY, { type: T.FLOAT32, values: tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', T.ARRAY, { type: T.INT32, values: types }],
    ['tokenizer.ggml.unknown_token_id', T.UINT32, 0],
    ['tokenizer.ggml.bos_token_id', T.UINT32, 1],
    ['tokenizer.ggml.eos_token_id', T.UINT32, 2],
    ['tokenizer.ggml.add_bos_token', T.BOOL, true],
    ['tokenizer.chat_template', T.STRING, "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}"],
  ];

  const f32 = (n, fill) => {
    const a = new Float32Array(n);
    if (fill) fill(a);
    return a;
  };
  // ggml dims: ne0 first (the row length).
  const tensors = [
    ['token_embd.weight', [nEmbd, nVocab], f32(nEmbd * nVocab, (a) => { for (let t = 0; t < nVocab; t++) a[t * nEmbd + t] = 1; })],
    ['output_norm.weight', [nEmbd], f32(nEmbd, (a) => a.fill(1))],
    // logits[v] = Σ_e W[v][e]·h[e]: row v is hot at every token whose successor is v.
    ['output.weight', [nEmbd, nVocab], f32(nEmbd * nVocab, (a) => { for (let t = 0; t < nVocab; t++) a[next(t) * nEmbd + t] = 10; })],
    ['blk.0.attn_norm.weight', [nEmbd], f32(nEmbd, (a) => a.fill(1))],
    ['blk.0.attn_q.weight', [nEmbd, nEmbd], f32(nEmbd * nEmbd)],
    ['blk.0.attn_k.weight', [nEmbd, nEmbd], f32(nEmbd * nEmbd)],
    ['blk.0.attn_v.weight', [nEmbd, nEmbd], f32(nEmbd * nEmbd)],
    ['blk.0.attn_output.weight', [nEmbd, nEmbd], f32(nEmbd * nEmbd)],
    ['blk.0.ffn_norm.weight', [nEmbd], f32(nEmbd, (a) => a.fill(1))],
    ['blk.0.ffn_gate.weight', [nEmbd, nFf], f32(nEmbd * nFf)],
    ['blk.0.ffn_up.weight', [nEmbd, nFf], f32(nEmbd * nFf)],
    ['blk.0.ffn_down.weight', [nFf, nEmbd], f32(nEmbd * nFf)],
  ];

  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  const value = (type, v) => {
    if (type === T.STRING) w.str(v);
    else if (type === T.UINT32) w.u32(v);
    else if (type === T.INT32) w.i32(v);
    else if (type === T.FLOAT32) w.f32(v);
    else if (type === T.BOOL) w.push(Buffer.from([v ? 1 : 0]));
    else if (type === T.ARRAY) {
      w.u32(v.type);
      w.u64(v.values.length);
      for (const x of v.values) value(v.type, x);
    }
  };
  for (const [key, type, v] of kv) {
    w.str(key);
    w.u32(type);
    value(type, v);
  }
  let offset = 0;
  for (const [name, dims, data] of tensors) {
    w.str(name);
    w.u32(dims.length);
    for (const d of dims) w.u64(d);
    w.u32(0); // GGML_TYPE_F32
    w.u64(offset);
    offset += Math.ceil(data.byteLength / ALIGN) * ALIGN;
  }
  w.pad();
  for (const [, , data] of tensors) {
    w.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    w.pad();
  }
  fs.writeFileSync(file, Buffer.concat(w.chunks));
}
