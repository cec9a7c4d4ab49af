/** A handler that is not wrapped with awslambda.streamifyResponse(): a RESPONSE_STREAM URL cannot run it. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
