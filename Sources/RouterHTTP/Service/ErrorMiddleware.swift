import RouterCore
import ClaudeAPI
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error thrown below it into a response in the Claude API's error shape.
///
/// Hummingbird's own errors (unknown route, body over the upload limit, …) become the API's types, and anything
/// unexpected becomes a 500 `api_error` whose message says nothing about the internals. Every error answered here
/// gets a fresh router request id (body `request_id` and `x-router-request-id`), as the handlers' own errors do.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RouterHTTPError {
            return error.response(requestID: RequestID.make())
        } catch let error as HTTPError {
            let type: ErrorType
            var message = error.body ?? error.status.reasonPhrase
            switch error.status.code {
            case 404:
                type = .notFound
                message = "Not found: \(request.method.rawValue) \(request.uri.path)"
            case 405: type = .invalidRequest
            case 413:
                type = .requestTooLarge
                message = "Request exceeds the maximum allowed number of bytes."
            case 401: type = .authentication
            case 403: type = .permission
            case 429: type = .rateLimit
            case 400..<500: type = .invalidRequest
            default: type = .api
            }
            return RouterHTTPError(type, message, status: error.status.code, headers: error.headers)
                .response(requestID: RequestID.make())
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return RouterHTTPError(.api, "Internal server error").response(requestID: RequestID.make())
        }
    }
}
