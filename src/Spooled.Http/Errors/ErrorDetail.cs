namespace Spooled.Http.Errors;

/// <summary>One entry of an error's <c>details</c>: the field, what is wrong, and a short code.</summary>
public sealed record ErrorDetail(string Field, string Message, string Code);
