export { ExtensionDirectory, type DirectorySnapshot } from './extension-directory.js';
export { RegisterHandler, type RegisterHandlerDeps } from './registration/register-handler.js';
export { RequestAuthenticator, type AuthFailureSink, type AuthOutcome } from './request-authenticator.js';
export { SipRequestRouter, type SipRequestRouterDeps } from './sip-request-router.js';
export { PromptLibrary, type PromptLanguage } from './features/prompt-library.js';
