/**
 * Windows' Application User Model ID: Windows shows an app's notifications (the meeting reminders,
 * the shortcut warning) only when it matches the ID of the Start menu shortcut the installer made,
 * which electron-builder sets to its `appId` (electron-builder.yml; a test keeps the two equal).
 * https://www.electronjs.org/docs/latest/tutorial/notifications#windows
 * https://learn.microsoft.com/windows/win32/shell/appids
 */
export const APP_USER_MODEL_ID = 'com.workstation.launcher';
