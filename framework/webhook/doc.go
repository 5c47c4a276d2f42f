// Package webhook speaks the chat server's robot webhook: it decodes the
// JSON the chat server POSTs into a framework.Event, and encodes the bot's
// answer.
//
// # The request
//
// The chat server (IMKit chat server v2) posts one JSON object per event:
//
//	{
//	  "appID": "SampleApp", "clientID": "sss", "roomID": "demo-room",
//	  "event": "MESSAGE", "botState": "menu",
//	  "data": {
//	    "_id": "5c1d…", "room": "demo-room", "message": "Bonjour",
//	    "messageType": "text", "sender": {"_id": "sss", "nickname": "Desirae", …},
//	    "messageTime": "2018-12-22T06:52:29.380Z", "messageTimeMS": 1545461549380
//	  }
//	}
//
// event is JOIN_ROOM, ADD_MEMBERS, DELETE_MEMBERS or MESSAGE; data is the
// room, sender and members of a membership event, or the Message of a
// MESSAGE event, with its optional media fields, reply and extra.
//
// # Tolerance
//
// The chat server's documents disagree in places (clientID or robotID, _id
// or id), and the messages its customers' apps send vary more: message may be
// text, an object, a number or a JSON-encoded string; extra an object or a
// JSON-encoded string. A bot that rejected such a request would fall silent
// in the middle of a conversation, so Decode rejects, with a *DecodeError, only
// what it cannot route: a body that is not a JSON object, and a roomID or
// event that is missing, empty or not a string (or a botState that is not a
// string, which would otherwise be read as a new room). Everything else is
// best effort:
//
//   - unknown fields are ignored, and so are unknown event types (the engine
//     keeps the room's state for them);
//   - Message.Raw keeps the message as sent; Message.Text is its text when the
//     message is a JSON string or a number and its messageType is text;
//   - a value of an odd type is coerced when its meaning is obvious
//     (isRobot "true", width "100" or 100.0, a JSON-encoded object or array,
//     a bare ID string where a sender or reply object belongs) and left zero
//     when it is not;
//   - a chain of replies to replies is kept 8 deep.
//
// Requests of the documented shape decode in one pass of encoding/json into
// plain structs; only a request with an odd-typed field takes a slower path.
//
// # The response
//
//	{"senderID": "robot001", "toBotState": "menu", "data": {"message": "Hi!", "messageType": "text"}}
//
// toBotState is always set (to the current state to keep it) and data is
// null when the bot says nothing. Response.AppendJSON encodes it without
// allocating; json.Marshal works too. Errors are answered as ErrorBody,
// {"error": "roomID is required"}, so that every answer is well-formed JSON.
package webhook
