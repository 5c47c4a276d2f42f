package webhook_test

import (
	"fmt"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/webhook"
)

func ExampleDecode() {
	body := []byte(`{
	  "appID": "SampleApp", "clientID": "sss", "roomID": "demo-room",
	  "event": "MESSAGE", "botState": "menu",
	  "data": {
	    "_id": "5c1ddf2d1536bbb6c49f7cfe", "room": "demo-room",
	    "message": 2, "messageType": "text",
	    "sender": {"_id": "sss", "nickname": "Desirae", "isRobot": "false"}
	  }
	}`)
	ev, err := webhook.Decode(body)
	if err != nil {
		fmt.Println(err) // answer with HTTP 400
		return
	}
	fmt.Printf("%s in %s (state %q) from %s: text %q, raw %s\n",
		ev.Type, ev.RoomID, ev.State, ev.Sender.Nickname, ev.Message.Text, ev.Message.Raw)

	reply := &framework.Message{Text: "You chose 2."}
	out := webhook.NewResponse("robot001", framework.Result{To: "order", Reply: reply}).AppendJSON(nil)
	fmt.Println(string(out))

	_, err = webhook.Decode([]byte(`{"event": "MESSAGE"}`))
	fmt.Println(err)
	// Output:
	// MESSAGE in demo-room (state "menu") from Desirae: text "2", raw 2
	// {"senderID":"robot001","toBotState":"order","data":{"message":"You chose 2.","messageType":"text"}}
	// roomID is required
}
