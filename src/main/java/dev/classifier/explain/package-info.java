/**
 * Class activation maps from a model's feature map and dense head, and their overlay as a PNG. May
 * import model; never core, a door or http.
 */
package dev.classifier.explain;
