export declare const STATE_FILE: string;
export declare const E2E_PORT_OFFSET: number;
export declare const E2E_DATABASE: string;
export declare const FAKE_KUBERNETES: { port: number; token: string };
export declare const KUBECONFIG_FILE: string;
export declare const KEYRING_FILE: string;
