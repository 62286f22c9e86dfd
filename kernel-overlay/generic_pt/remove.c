/* overlay: empty on purpose: "replace" with it removes the definition */
