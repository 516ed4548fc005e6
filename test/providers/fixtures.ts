// aimock usage override for any provider: each handler picks its own field names from this one object.
export const usage = (input: number, output: number) => ({
  prompt_tokens: input,
  completion_tokens: output,
  input_tokens: input,
  output_tokens: output,
  promptTokenCount: input,
  candidatesTokenCount: output,
});
