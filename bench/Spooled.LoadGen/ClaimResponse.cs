namespace Spooled.LoadGen;

/// <summary><c>POST /jobs/claim</c>'s answer: <c>{"jobs":[…]}</c>, empty when nothing was ready.</summary>
internal sealed class ClaimResponse
{
    public List<ClaimedJob> Jobs { get; set; } = [];
}
