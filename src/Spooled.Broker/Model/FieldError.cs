namespace Spooled.Broker;

/// <summary>One failed field check: the contract's <c>details</c> item.</summary>
public sealed record FieldError(string Field, string Message, string Code);
