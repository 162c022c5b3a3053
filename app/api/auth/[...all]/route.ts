import { handleAuthRequest } from "@/lib/auth/route";

const handle = (request: Request) => handleAuthRequest(request);

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as OPTIONS };
