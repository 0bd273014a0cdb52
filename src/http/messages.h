/* messages.h: localised texts for the API's machine codes (problems and field errors). */
#ifndef RX_MESSAGES_H
#define RX_MESSAGES_H

struct rx_message {
    const char *code; /* stable machine code */
    const char *zh;   /* Chinese (default) */
    const char *en;   /* English */
};

/* NULL when the code has no text (the code itself is then shown). */
const struct rx_message *rx_message_find(const char *code);

#endif
