namespace Appliance.OpenAiApi;

/// <summary>Who answers and when: the completion's id, its Unix creation time and the loaded model's name.</summary>
internal sealed record ReplyHeader(string Id, long Created, string Model);
