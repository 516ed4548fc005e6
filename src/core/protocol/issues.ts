// What validation reports about a value a person set, and the OpenAI API choice that the settings and the model
// rules share: the ground floor, so models and settings both take them from here.

export interface ValidationIssue {
  /** `lengthwise.maxTokens`, `lengthwise.preset`, `lengthwise.presets` … */
  setting: string;
  preset?: string;
  value: unknown;
  /** For a person: names the setting (and preset), the bad value and the fix. */
  message: string;
}

export const OPENAI_API_CHOICES = ['auto', 'chat', 'responses'] as const;
export type OpenAIApiChoice = (typeof OPENAI_API_CHOICES)[number];
