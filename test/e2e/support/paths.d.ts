export declare const STATE_FILE: string;
export declare const E2E_PORT_OFFSET: number;
