import { z } from 'zod';

export const themeSchema = z.enum(['system', 'light', 'dark']);

/**
 * Electron accelerators we accept for the launcher hotkey: one or more modifiers and one key.
 * https://www.electronjs.org/docs/latest/api/accelerator
 */
export const acceleratorSchema = z
  .string()
  .max(64)
  .regex(
    /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)+([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Enter|Tab|Up|Down|Left|Right|[`\-=[\];',./])$/,
    'Use modifiers and one key, for example CommandOrControl+Shift+E.',
  );

export const DEFAULT_HOTKEY = 'CommandOrControl+Shift+E';

export const settingsSchema = z.object({
  theme: themeSchema,
  hotkey: acceleratorSchema,
  /** Start Workstation when the user signs in to the computer (desktop app, macOS and Windows). */
  openAtLogin: z.boolean(),
  /** A notification one minute before each upcoming meeting that has a Join link (desktop app). */
  meetingReminders: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  hotkey: DEFAULT_HOTKEY,
  openAtLogin: false,
  meetingReminders: true,
};

/** A partial update; unknown keys are refused rather than ignored. */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
